/**
 * Issue 8 §1 — OCPP round trips. Sequential CALLs (one in flight, as OCPP-J demands) from the
 * reference charge point to the test CSMS (validation on at both ends, recorder on), against
 * (a) raw `ws` text-frame echo with the same frame text and (b) `ocpp-rpc` client ↔ server with
 * `strictMode` on. All three run client and server in this one process on 127.0.0.1. Runs
 * alternate ours → raw → ocpp-rpc, several rounds; ratios are the median of the per-round ratios.
 *
 *   node --require ts-node/register bench/roundtrip.ts [--seconds 1] [--rounds 5] [--smoke]
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { RPCClient, RPCServer } from 'ocpp-rpc';
import WebSocket, { WebSocketServer } from 'ws';
import { ChargePoint } from '../src/chargepoint';
import { TestCsms } from '../src/csms';
import { CALL } from '../src/ocpp';
import { benchArgs } from './lib/args';
import { CALL_MIX, type MixEntry } from './lib/payloads';
import { fmt, machine, median, nowMs, printTable, quantile } from './lib/stats';

type Kind = 'ours' | 'raw' | 'ocpp-rpc';
const KINDS: readonly Kind[] = ['ours', 'raw', 'ocpp-rpc'];

/** One connected client: `roundTrip` resolves when the answer is in; `close` frees everything. */
interface Pair {
  roundTrip(): Promise<unknown>;
  close(): Promise<void>;
}

interface RunResult {
  readonly calls: number;
  readonly seconds: number;
  readonly latenciesMs: number[];
}

const MAX_CALLS_PER_RUN = 500_000;
const SETUP_TIMEOUT_MS = 10_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function oursPair(entry: MixEntry): Promise<Pair> {
  const csms = new TestCsms();
  await csms.listen({ host: '127.0.0.1', port: 0 });
  const cp = new ChargePoint({
    url: csms.url('BENCH-RT'),
    ocppVersion: '1.6',
    policy: { resumeDelayMs: 0 },
  });
  const online = once(cp, 'online');
  cp.start();
  await withTimeout(online, SETUP_TIMEOUT_MS, 'reference charge point online');
  return {
    roundTrip: () => cp.call(entry.action, entry.payload),
    close: async () => {
      await cp.stop();
      await csms.close();
    },
  };
}

async function rawPair(entry: MixEntry): Promise<Pair> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await once(wss, 'listening');
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  const port = (wss.address() as AddressInfo).port;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ocpp/BENCH-RT`, { perMessageDeflate: false });
  await withTimeout(once(ws, 'open'), SETUP_TIMEOUT_MS, 'raw ws open');
  let waiter: (() => void) | undefined;
  ws.on('message', () => {
    const resolve = waiter;
    waiter = undefined;
    resolve?.();
  });
  let seq = 0;
  const prefix = `[${CALL},"`;
  const suffix = `","${entry.action}",${JSON.stringify(entry.payload)}]`;
  return {
    roundTrip: () =>
      new Promise<void>((resolve) => {
        waiter = resolve;
        // The same text an OCPP CALL frame has, with a fresh id each time.
        seq += 1;
        ws.send(prefix + seq.toString(36) + suffix);
      }),
    close: async () => {
      const closed = once(ws, 'close');
      ws.close(1000);
      await withTimeout(closed, SETUP_TIMEOUT_MS, 'raw ws close');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

// ocpp-rpc's typings want every option; it fills in defaults for the missing ones.
type RpcClientOptions = ConstructorParameters<typeof RPCClient>[0];

async function rpcPair(entry: MixEntry): Promise<Pair> {
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  server.on('client', (client: RPCClient) => {
    client.handle('Heartbeat', async () => ({ currentTime: new Date().toISOString() }));
    client.handle('DataTransfer', async () => ({ status: 'Accepted' }));
  });
  const http = await server.listen(0, '127.0.0.1');
  const port = (http.address() as AddressInfo).port;
  const client = new RPCClient({
    endpoint: `ws://127.0.0.1:${port}`,
    identity: 'BENCH-RT',
    protocols: ['ocpp1.6'],
    strictMode: true,
    reconnect: false,
  } as Partial<RpcClientOptions> as RpcClientOptions);
  await withTimeout(client.connect(), SETUP_TIMEOUT_MS, 'ocpp-rpc connect');
  return {
    roundTrip: () => client.call(entry.action, entry.payload),
    close: async () => {
      await client.close({ code: 1000 });
      await server.close({ force: true });
    },
  };
}

const PAIRS: Readonly<Record<Kind, (entry: MixEntry) => Promise<Pair>>> = {
  ours: oursPair,
  raw: rawPair,
  'ocpp-rpc': rpcPair,
};

/** Sequential round trips for `ms` (and at most MAX_CALLS_PER_RUN), on a fresh pair. */
async function run(kind: Kind, entry: MixEntry, ms: number): Promise<RunResult> {
  const pair = await PAIRS[kind](entry);
  try {
    // Warm-up: JIT, buffers, schema compilation; not measured.
    const warmUntil = nowMs() + Math.min(200, ms / 2);
    for (let i = 0; i < 5000 && nowMs() < warmUntil; i++) await pair.roundTrip();
    const latenciesMs: number[] = [];
    const start = nowMs();
    const end = start + ms;
    let t = start;
    while (t < end && latenciesMs.length < MAX_CALLS_PER_RUN) {
      const before = t;
      await pair.roundTrip();
      t = nowMs();
      latenciesMs.push(t - before);
    }
    return { calls: latenciesMs.length, seconds: (t - start) / 1000, latenciesMs };
  } finally {
    await pair.close();
  }
}

async function main(): Promise<void> {
  const args = benchArgs(1, ['rounds', 'stack', 'payload']);
  const rounds = args.extra['rounds'] !== undefined ? Number(args.extra['rounds']) : args.smoke ? 1 : 5;
  const runMs = args.smoke ? 150 : Math.max(0.1, args.seconds) * 1000;
  const rows: string[][] = [];
  const ratioRows: string[][] = [];
  const kinds = args.extra['stack'] === undefined ? KINDS : KINDS.filter((k) => k === args.extra['stack']);
  const mix = CALL_MIX.filter(
    (e) => args.extra['payload'] === undefined || e.name.startsWith(args.extra['payload']),
  );
  if (kinds.length < KINDS.length || mix.length === 0) {
    // Profiling mode (--stack ours): only that stack, no ratios.
    for (const entry of mix)
      for (const kind of kinds) {
        const r = await run(kind, entry, runMs * rounds);
        console.log(`${entry.name} ${kind}: ${fmt(r.calls / r.seconds)} calls/s`);
      }
    return;
  }
  for (const entry of mix) {
    const perKind = new Map<Kind, RunResult[]>(KINDS.map((k) => [k, []]));
    for (let round = 0; round < rounds; round++) {
      // Alternate the order a little too, so no kind always runs right after another.
      const order = round % 2 === 0 ? KINDS : [...KINDS].reverse();
      for (const kind of order) perKind.get(kind)?.push(await run(kind, entry, runMs));
    }
    const rate = (r: RunResult) => r.calls / r.seconds;
    for (const kind of KINDS) {
      const results = perKind.get(kind) as RunResult[];
      const all = results.flatMap((r) => r.latenciesMs);
      rows.push([
        entry.name,
        kind,
        fmt(median(results.map(rate))),
        fmt(quantile(all, 0.5) * 1000),
        fmt(quantile(all, 0.99) * 1000),
        String(all.length),
      ]);
    }
    const ours = perKind.get('ours') as RunResult[];
    const raw = perKind.get('raw') as RunResult[];
    const rpc = perKind.get('ocpp-rpc') as RunResult[];
    const vsRaw = ours.map((r, i) => rate(r) / rate(raw[i] as RunResult));
    const vsRpc = ours.map((r, i) => rate(r) / rate(rpc[i] as RunResult));
    ratioRows.push([
      entry.name,
      fmt(median(vsRaw), 2),
      `${fmt(Math.min(...vsRaw), 2)}–${fmt(Math.max(...vsRaw), 2)}`,
      median(vsRaw) >= 0.8 ? 'met' : 'not met',
      fmt(median(vsRpc), 2),
      `${fmt(Math.min(...vsRpc), 2)}–${fmt(Math.max(...vsRpc), 2)}`,
      median(vsRpc) >= 1.5 ? 'met' : 'not met',
    ]);
  }
  console.log(`Machine: ${machine()}`);
  console.log(
    `Arrangement: client and server in one process on 127.0.0.1, one CALL in flight; ${rounds} round(s) × ${runMs} ms per kind and payload, alternating; fresh connection per run.`,
  );
  printTable(
    'Round trips (sequential calls)',
    ['payload', 'stack', 'calls/s (median)', 'p50 µs', 'p99 µs', 'samples'],
    rows,
  );
  printTable(
    'Round-trip ratios (calls/s, median of per-round ratios)',
    ['payload', 'ours/raw', 'range', '≥ 0.8×', 'ours/ocpp-rpc', 'range', '≥ 1.5×'],
    ratioRows,
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
