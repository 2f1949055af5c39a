import { generate } from 'selfsigned';
import { parseCliArgs, USAGE, UsageError } from './cli-args';
import { formatEvent } from './event-format';
import type { RecordedEvent } from './events';
import { TestCsms } from './server';

/**
 * The test CSMS as a stand-alone program: point a real charge point at the printed URL and
 * watch every event (and every finding) as it happens. Ctrl-C (SIGINT) or SIGTERM closes cleanly.
 */
async function main(argv: readonly string[]): Promise<void> {
  let options: ReturnType<typeof parseCliArgs>;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  let tls: { cert: string; key: string } | undefined;
  if (options.tls) {
    const pems = await generate([{ name: 'commonName', value: options.host }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        {
          name: 'subjectAltName',
          altNames: /^[\d.]+$/.test(options.host)
            ? [{ type: 7, ip: options.host }]
            : [{ type: 2, value: options.host }],
        },
      ],
    });
    tls = { cert: pems.cert, key: pems.private };
  }
  const csms = new TestCsms({
    bootAnswer: { status: options.boot, intervalS: options.intervalS },
    ...(tls === undefined ? {} : { tls }),
    ...(options.basicAuth === undefined
      ? {}
      : { basicAuth: { [options.basicAuth.user]: options.basicAuth.password } }),
  });
  for (const warning of csms.warnings) process.stderr.write(`warning: ${warning}\n`);
  const color = !options.json && process.stdout.isTTY === true;
  csms.on('event', (event: RecordedEvent) => {
    process.stdout.write(`${options.json ? JSON.stringify(event) : formatEvent(event, color)}\n`);
    if (event.kind === 'open' && options.dropAfterMs !== undefined) {
      csms.script(event.identity).closeAfter(options.dropAfterMs, { code: 1000 });
    }
  });
  const { host, port } = await csms.listen({ host: options.host, port: options.port });
  const url = csms.url('{identity}').replace(encodeURIComponent('{identity}'), '{identity}');
  if (options.json) process.stdout.write(`${JSON.stringify({ kind: 'listening', host, port, url })}\n`);
  else {
    process.stdout.write(`test CSMS listening on ${url}\n`);
    if (tls !== undefined)
      process.stdout.write(`self-signed certificate (trust it in the charge point):\n${tls.cert}\n`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!options.json) process.stdout.write(`${signal}: closing\n`);
    csms.close().then(
      () => {
        process.exitCode = 0;
      },
      (error: Error) => {
        process.stderr.write(`close failed: ${error.message}\n`);
        process.exitCode = 1;
      },
    );
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
  const onInt = () => stop('SIGINT');
  const onTerm = () => stop('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`test CSMS: ${error.message}\n`);
  process.exitCode = 1;
});
