/**
 * `npm run chargepoint -- --url ws://127.0.0.1:9000/ocpp/CP001 [options]`: the reference charge
 * point as a process (it is also an external SUT). Logs one JSON line per event to stderr.
 * SIGTERM/SIGINT → clean close (1000) and exit 0. Bad flags → usage naming the flag, exit 2.
 */
import { ChargePoint } from './charge-point';
import { parseArgs, redactUrl, USAGE, UsageError } from './cli-args';
import { attachEventLog, logLine } from './event-log';
import { type ChargePointFaults, FAULT_NAMES } from './faults';

/** Longest wait for the close handshake on SIGTERM before exiting anyway. */
const STOP_GRACE_MS = 800;

/**
 * TEST-ONLY: `OCPP_CP_TEST_FAULTS=noBackoff,noReboot` breaks the charge point on purpose, so the
 * suite can be shown to fail a broken external charge point. Deliberately not a flag.
 */
function testFaults(spec: string | undefined): ChargePointFaults | undefined {
  if (spec === undefined || spec.trim() === '') return undefined;
  const faults: Record<string, boolean> = {};
  for (const name of spec.split(',').map((n) => n.trim())) {
    if (!FAULT_NAMES.includes(name as keyof ChargePointFaults)) {
      throw new Error(
        `OCPP_CP_TEST_FAULTS: unknown fault ${JSON.stringify(name)}; known: ${FAULT_NAMES.join(', ')}`,
      );
    }
    faults[name] = true;
  }
  return faults;
}

function main(argv: readonly string[]): void {
  const write = (line: string) => process.stderr.write(line);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`chargepoint: ${error.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = parsed.config;
  let cp: ChargePoint;
  try {
    const faults = testFaults(process.env['OCPP_CP_TEST_FAULTS']);
    cp = new ChargePoint({ ...config, ...(faults === undefined ? {} : { faults }) });
  } catch (error) {
    process.stderr.write(`chargepoint: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  attachEventLog(cp, write);
  logLine(write, Date.now, 'start', {
    url: redactUrl(config.url),
    identity: cp.identity,
    ocppVersion: cp.ocppVersion,
    policy: cp.policy,
    ...(config.basicAuth ? { basicAuth: { username: config.basicAuth.username, password: '***' } } : {}),
  });
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(0);
    stopping = true;
    logLine(write, Date.now, 'signal', { signal });
    const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    Promise.race([cp.stop(), grace]).then(
      () => {
        logLine(write, Date.now, 'exit', { code: 0 });
        process.exit(0);
      },
      () => process.exit(0),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  cp.start();
}

main(process.argv.slice(2));
