/**
 * Issue 8 §3 — fleet scale. N reference charge points (OCPP 1.6, default policy) in child
 * processes against one test CSMS in this process, on 127.0.0.1, validation and recorder on:
 * time until all are online, CSMS memory per connection, heartbeats/s sustained at a 1 s
 * heartbeat interval, event-loop delay of the CSMS, findings.
 *
 *   bash -c 'ulimit -n $(ulimit -Hn); node --expose-gc --require ts-node/register bench/fleet.ts [--sizes 1000,5000,10000] [--seconds 10] [--smoke]'
 */
import { spawnSync } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Fleet, fdLimit, gc, sleep } from './fleet/fleet';
import { benchArgs } from './lib/args';
import { fmt, machine, printTable } from './lib/stats';

const args = benchArgs(10, ['sizes', 'interval', 'row']);
const sizes = (args.extra['sizes'] ?? (args.smoke ? '200' : '1000,5000,10000')).split(',').map(Number);
const windowS = args.smoke ? 1 : Math.max(1, args.seconds);
const intervalS = Number(args.extra['interval'] ?? 1);
const BOOT_TIMEOUT_MS = args.smoke ? 3_000 : 120_000;

function memory(): { heap: number; rss: number } {
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.external, rss: m.rss };
}

async function measure(size: number, perChild: number): Promise<string[]> {
  const fleet = new Fleet({ size, perChild, policy: {}, heartbeatIntervalS: intervalS });
  const before = memory();
  await fleet.prepare();
  try {
    const startedAt = fleet.start();
    const allOnline = await fleet.waitAllOnline(BOOT_TIMEOUT_MS);
    const bootS = allOnline ? (fleet.lastOnlineAt() - startedAt) / 1000 : Number.NaN;
    // Warm-up, part of the method: one heartbeat interval (≤ 2 s) so every charge point is in its
    // steady heartbeat rhythm before the measurement window opens.
    await sleep(Math.min(2000, intervalS * 1000));
    const after = memory();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const hb0 = fleet.heartbeats;
    const t0 = Date.now();
    await sleep(windowS * 1000);
    const hbRate = (fleet.heartbeats - hb0) / ((Date.now() - t0) / 1000);
    delay.disable();
    const { childRss } = await fleet.report();
    const connections = fleet.online();
    return [
      String(size),
      `${fleet.processes} + 1`,
      allOnline ? fmt(bootS) : `not all (${fleet.online()}/${size}) in ${BOOT_TIMEOUT_MS / 1000} s`,
      fmt((after.heap - before.heap) / size / 1024),
      fmt((after.rss - before.rss) / size / 1024),
      fmt(size / intervalS),
      fmt(hbRate),
      fmt(delay.percentile(99) / 1e6),
      fmt(childRss / Math.max(1, connections) / 1024),
      String(fleet.csms.recorder.findings().length),
    ];
  } finally {
    await fleet.stop();
  }
}

async function main(): Promise<void> {
  const limit = fdLimit();
  // One CSMS-side socket per charge point here; one client socket each in the children.
  const perChild = Math.max(1, Math.min(5000, Math.floor((limit - 200) * 0.9)));
  if (args.extra['row'] === undefined) console.log(`Machine: ${machine()}`);
  if (args.extra['row'] === undefined)
    console.log(
      `File-descriptor limit: ${limit}; charge points in child processes of at most ${perChild} each (the CSMS's own sockets stay below the limit for N ≤ ${limit - 200}).`,
    );
  const rows: string[][] = [];
  for (const size of sizes) {
    if (size > limit - 200) {
      rows.push([
        String(size),
        '—',
        `skipped: needs ${size} sockets in the CSMS, limit ${limit}`,
        '',
        '',
        '',
        '',
        '',
        '',
        '',
      ]);
      continue;
    }
    if (sizes.length === 1 && args.extra['row'] === undefined) {
      rows.push(await measure(size, perChild));
      continue;
    }
    if (args.extra['row'] !== undefined) {
      // Child mode: one size, one JSON row.
      process.stdout.write(`FLEET-ROW ${JSON.stringify(await measure(size, perChild))}\n`);
      return;
    }
    // Each size in a fresh process, so one size's garbage does not blur the next one's memory figures.
    const child = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        __filename,
        '--row',
        '1',
        '--sizes',
        String(size),
        '--seconds',
        String(windowS),
        '--interval',
        String(intervalS),
        ...(args.smoke ? ['--smoke'] : []),
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        timeout: BOOT_TIMEOUT_MS + windowS * 1000 + 120_000,
      },
    );
    const line = child.stdout.split('\n').find((l) => l.startsWith('FLEET-ROW '));
    if (line === undefined)
      throw new Error(`fleet N=${size}: no result (status ${child.status})\n${child.stdout}`);
    rows.push(JSON.parse(line.slice('FLEET-ROW '.length)) as string[]);
  }
  printTable(
    `Fleet scale (OCPP 1.6, heartbeat interval ${intervalS} s, window ${windowS} s)`,
    [
      'N',
      'processes (CP + CSMS)',
      'all online s',
      'CSMS heap KB/conn',
      'CSMS RSS KB/conn',
      'heartbeats/s offered',
      'heartbeats/s sustained',
      'CSMS loop delay p99 ms',
      'CP RSS KB/conn',
      'findings',
    ],
    rows,
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
