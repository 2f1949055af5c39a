/**
 * Issue 8 §4 — thundering herd. N reference charge points (OCPP 1.6, default policy: initial
 * 500 ms, max 30 s) online against one test CSMS; the CSMS drops all N at once (TCP destroyed,
 * no close frame). Measured, for jitter 0 and 0.2: when each reconnect attempt starts (a
 * histogram per attempt, from the drop), the peak rate of upgrade requests at the CSMS, the time
 * until all are online again, and the CSMS's findings. Target: all back within max back-off + 10 s.
 *
 *   bash -c 'ulimit -n $(ulimit -Hn); node --expose-gc --require ts-node/register bench/herd.ts [--size 10000] [--smoke]'
 */
import { DEFAULT_POLICY } from '../src/chargepoint';
import { Fleet, fdLimit } from './fleet/fleet';
import type { HerdRecord } from './fleet/protocol';
import { benchArgs } from './lib/args';
import { fmt, machine, printTable, quantile } from './lib/stats';

const args = benchArgs(0, ['size', 'jitters']);
const size = Number(args.extra['size'] ?? (args.smoke ? 200 : 10_000));
const jitters = (args.extra['jitters'] ?? (args.smoke ? '0.2' : '0,0.2')).split(',').map(Number);
const BOOT_TIMEOUT_MS = args.smoke ? 3_000 : 120_000;
const TARGET_MS = DEFAULT_POLICY.maxBackoffMs + 10_000;
/** How long to wait for everyone to come back before giving up (bounded). */
const BACK_TIMEOUT_MS = args.smoke ? 3_000 : TARGET_MS + 20_000;
const BUCKET_MS = 50;

interface HerdResult {
  readonly jitter: number;
  readonly allBackMs: number | undefined;
  readonly back: number;
  readonly records: HerdRecord[];
  readonly dropAt: number;
  readonly upgrades: number[];
  readonly findings: number;
}

async function herd(jitter: number, perChild: number): Promise<HerdResult> {
  const fleet = new Fleet({ size, perChild, policy: { jitterRatio: jitter }, heartbeatIntervalS: 60 });
  await fleet.prepare();
  try {
    fleet.start();
    if (!(await fleet.waitAllOnline(BOOT_TIMEOUT_MS))) {
      throw new Error(`only ${fleet.online()}/${size} charge points came online`);
    }
    await fleet.mark();
    const dropAt = Date.now();
    await fleet.dropAll();
    const allBack = await fleet.waitAllBack(BACK_TIMEOUT_MS);
    const { records } = await fleet.report();
    const last = Math.max(...records.map((r) => r.onlineAt ?? 0));
    return {
      jitter,
      allBackMs: allBack ? last - dropAt : undefined,
      back: records.filter((r) => r.onlineAt !== undefined).length,
      records,
      dropAt,
      upgrades: fleet.upgrades.map((at) => at - dropAt),
      findings: fleet.csms.recorder.findings().length,
    };
  } finally {
    await fleet.stop();
  }
}

/** Largest count of values in any window of `windowMs` (sliding, values sorted). */
function peakPerWindow(values: number[], windowMs: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

async function main(): Promise<void> {
  const limit = fdLimit();
  const perChild = Math.max(1, Math.min(5000, Math.floor((limit - 200) * 0.9)));
  console.log(`Machine: ${machine()}`);
  console.log(
    `N = ${size}, OCPP 1.6, policy initial ${DEFAULT_POLICY.initialBackoffMs} ms, max ${DEFAULT_POLICY.maxBackoffMs} ms, resume delay ${DEFAULT_POLICY.resumeDelayMs} ms; drop = CSMS destroys every TCP connection at once; fd limit ${limit}.`,
  );
  const results: HerdResult[] = [];
  for (const jitter of jitters) results.push(await herd(jitter, perChild));

  // Per attempt: when it started, from the drop.
  const attemptRows: string[][] = [];
  for (const r of results) {
    const byAttempt = new Map<number, number[]>();
    const sinceClose = new Map<number, number[]>();
    for (const record of r.records) {
      let previous = record.closedAt;
      for (const [attempt, at] of record.attempts) {
        const list = byAttempt.get(attempt) ?? [];
        list.push(at - r.dropAt);
        byAttempt.set(attempt, list);
        if (previous !== undefined) {
          const delays = sinceClose.get(attempt) ?? [];
          delays.push(at - previous);
          sinceClose.set(attempt, delays);
        }
        previous = at;
      }
    }
    for (const [attempt, times] of [...byAttempt].sort((a, b) => a[0] - b[0])) {
      const delays = sinceClose.get(attempt) ?? [];
      attemptRows.push([
        String(r.jitter),
        String(attempt),
        String(times.length),
        delays.length ? `${fmt(Math.min(...delays))}–${fmt(Math.max(...delays))}` : '—',
        fmt(Math.min(...times)),
        fmt(quantile(times, 0.5)),
        fmt(quantile(times, 0.99)),
        fmt(Math.max(...times)),
        String(peakPerWindow(times, BUCKET_MS)),
      ]);
    }
  }
  printTable(
    'Thundering herd: reconnect attempts (ms; min…max columns from the drop to the attempt)',
    [
      'jitter',
      'attempt',
      'count',
      'delay after the CP saw the close (min–max)',
      'min',
      'p50',
      'p99',
      'max',
      `peak per ${BUCKET_MS} ms`,
    ],
    attemptRows,
  );

  // Histogram of first-attempt start times, side by side.
  const firstAttempts = results.map((r) =>
    r.records.flatMap((rec) => rec.attempts.filter(([a]) => a === 1).map(([, at]) => at - r.dropAt)),
  );
  const all = firstAttempts.flat();
  if (all.length > 0) {
    const lo = Math.floor(Math.min(...all) / BUCKET_MS) * BUCKET_MS;
    const hi = Math.max(...all);
    const rows: string[][] = [];
    for (let from = lo; from <= hi && rows.length < 60; from += BUCKET_MS) {
      const counts = firstAttempts.map(
        (times) => times.filter((t) => t >= from && t < from + BUCKET_MS).length,
      );
      if (counts.every((c) => c === 0)) continue;
      const widest = Math.max(...counts);
      rows.push([
        `${from}–${from + BUCKET_MS}`,
        ...counts.map(String),
        '#'.repeat(Math.round((40 * widest) / Math.max(1, size))),
      ]);
    }
    printTable(
      `Thundering herd: histogram of attempt-1 start times (${BUCKET_MS} ms buckets)`,
      ['ms from drop', ...results.map((r) => `jitter ${r.jitter}`), 'widest bar (of N)'],
      rows,
    );
  }

  printTable(
    'Thundering herd: summary',
    [
      'jitter',
      'N',
      'back online',
      'all online again s',
      `within ${TARGET_MS / 1000} s`,
      'peak upgrades/s (100 ms window)',
      'peak upgrades in 1 s',
      'findings',
    ],
    results.map((r) => [
      String(r.jitter),
      String(size),
      `${r.back}/${size}`,
      r.allBackMs === undefined ? `not all in ${BACK_TIMEOUT_MS / 1000} s` : fmt(r.allBackMs / 1000),
      r.allBackMs !== undefined && r.allBackMs <= TARGET_MS && r.findings === 0 ? 'met' : 'not met',
      fmt(peakPerWindow(r.upgrades, 100) * 10),
      String(peakPerWindow(r.upgrades, 1000)),
      String(r.findings),
    ]),
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
