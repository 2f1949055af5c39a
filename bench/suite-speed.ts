/**
 * Issue 8 §5 — suite speed. Runs the Cucumber suite through its API (`loadConfiguration` /
 * `runCucumber`, profile `default` = virtual clock, then `realtime` = system clock), each in a
 * child process of its own, with no report files written (so `reports/` is left alone).
 *
 * Simulated time is measured from the evidence each scenario attaches: the test CSMS's recorder
 * JSON (application/json), whose events carry timestamps on the scenario's clock. Per scenario,
 * the span from its first to its last recorded event is a lower bound of the time it simulated;
 * the sum over scenarios is divided by the sum of the scenarios' wall times (testCaseStarted →
 * testCaseFinished). The process's whole wall time (start-up included) is reported too.
 *
 *   node --require ts-node/register bench/suite-speed.ts [--smoke] [--profiles default,realtime]
 */
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { benchArgs } from './lib/args';
import { fmt, machine, printTable } from './lib/stats';

interface SuiteResult {
  readonly profile: string;
  readonly success: boolean;
  readonly scenarios: number;
  readonly scenarioWallMs: number;
  readonly simulatedMs: number;
  readonly processWallMs: number;
  readonly skipped: number;
}

const CHILD_FLAG = '--run-profile';
const CHILD_TIMEOUT_MS = 8 * 60_000;

function toMs(ts: { seconds: number; nanos: number }): number {
  return ts.seconds * 1000 + ts.nanos / 1e6;
}

/** Child: run one profile and print one JSON line. */
async function runProfile(profile: string, tags: string | undefined): Promise<void> {
  const started = performance.now();
  const { loadConfiguration, runCucumber } = await import('@cucumber/cucumber/api');
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const environment = { cwd: process.cwd(), stdout: discard, stderr: process.stderr };
  const provided = tags === undefined ? {} : { tags };
  const { runConfiguration } = await loadConfiguration({ profiles: [profile], provided }, environment);
  runConfiguration.formats = { stdout: 'summary', files: {}, publish: false, options: {} };
  const starts = new Map<string, number>();
  const spans = new Map<string, { first: number; last: number }>();
  let scenarioWallMs = 0;
  let scenarios = 0;
  let skipped = 0;
  const { success } = await runCucumber(runConfiguration, environment, (envelope) => {
    if (envelope.testCaseStarted) {
      starts.set(envelope.testCaseStarted.id, toMs(envelope.testCaseStarted.timestamp));
    } else if (
      envelope.attachment?.mediaType === 'application/json' &&
      envelope.attachment.testCaseStartedId
    ) {
      const id = envelope.attachment.testCaseStartedId;
      try {
        const body = JSON.parse(envelope.attachment.body) as {
          identities?: Array<{ events?: Array<{ at?: number }> }>;
        };
        for (const identity of body.identities ?? []) {
          for (const event of identity.events ?? []) {
            if (typeof event.at !== 'number') continue;
            const span = spans.get(id) ?? { first: event.at, last: event.at };
            span.first = Math.min(span.first, event.at);
            span.last = Math.max(span.last, event.at);
            spans.set(id, span);
          }
        }
      } catch {
        // not the recorder's JSON
      }
    } else if (envelope.testCaseFinished) {
      const id = envelope.testCaseFinished.testCaseStartedId;
      const start = starts.get(id);
      if (start !== undefined) scenarioWallMs += toMs(envelope.testCaseFinished.timestamp) - start;
      scenarios += 1;
      if (!spans.has(id)) skipped += 1;
    }
  });
  let simulatedMs = 0;
  for (const span of spans.values()) simulatedMs += span.last - span.first;
  const result: SuiteResult = {
    profile,
    success,
    scenarios,
    scenarioWallMs,
    simulatedMs,
    processWallMs: performance.now() - started,
    skipped,
  };
  process.stdout.write(`\nSUITE-RESULT ${JSON.stringify(result)}\n`);
}

/** Parent: one child per profile; the child's wall time is measured here, start-up included. */
function runChild(profile: string, tags: string | undefined): Promise<SuiteResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['--require', 'ts-node/register', __filename, CHILD_FLAG, profile, ...(tags ? ['--tags', tags] : [])],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('SUITE-RESULT '));
      if (line === undefined) {
        reject(new Error(`suite ${profile}: no result (exit ${code})\n${out.slice(-2000)}`));
        return;
      }
      const result = JSON.parse(line.slice('SUITE-RESULT '.length)) as SuiteResult;
      resolve({ ...result, processWallMs: performance.now() - started });
    });
  });
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf(CHILD_FLAG);
  if (childAt >= 0) {
    const tagsAt = process.argv.indexOf('--tags');
    await runProfile(process.argv[childAt + 1] as string, tagsAt >= 0 ? process.argv[tagsAt + 1] : undefined);
    return;
  }
  const args = benchArgs(0, ['profiles', 'tags']);
  const profiles = (args.extra['profiles'] ?? (args.smoke ? 'default' : 'default,realtime')).split(',');
  const tags = args.extra['tags'] ?? (args.smoke ? '@Reconnect_Basic' : undefined);
  console.log(`Machine: ${machine()}`);
  const results: SuiteResult[] = [];
  for (const profile of profiles) results.push(await runChild(profile, tags));
  printTable(
    `Suite speed${tags ? ` (tags ${tags})` : ''}`,
    [
      'profile',
      'passed',
      'scenarios',
      'simulated s (Σ first→last event)',
      'scenario wall s (Σ)',
      'simulated / wall',
      'process wall s (start-up included)',
      'simulated / process wall',
    ],
    results.map((r) => [
      r.profile,
      r.success ? 'yes' : 'NO',
      `${r.scenarios}${r.skipped ? ` (${r.skipped} without recorder evidence)` : ''}`,
      fmt(r.simulatedMs / 1000),
      fmt(r.scenarioWallMs / 1000),
      `${fmt(r.simulatedMs / r.scenarioWallMs)}×`,
      fmt(r.processWallMs / 1000),
      `${fmt(r.simulatedMs / r.processWallMs)}×`,
    ]),
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
