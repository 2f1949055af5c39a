/**
 * Issue 8 §2 — validation cost. (1) Time to compile every schema of OCPP 1.6 and 2.0.1 (a fresh
 * AJV instance, as at start-up). (2) ns per validate for each action of the mix, both versions,
 * both directions. (3) The whole per-frame path without sockets: the test CSMS's
 * parse → record → validate → answer → validate → serialize → record for one inbound CALL
 * (a real `CsmsConnection` on a stub socket), and the reference charge point's whole `call()`
 * (validate, id, serialize, timer, parse the answer, validate it, settle) on a stub transport.
 * Plus a breakdown of the CSMS path into its steps, to show where the time goes.
 *
 *   node --require ts-node/register bench/validation.ts [--seconds 0.5] [--smoke]
 */
import { EventEmitter } from 'node:events';
import { ChargePoint, type Transport, type TransportHandlers } from '../src/chargepoint';
import { DEFAULT_BOOT } from '../src/chargepoint/options';
import { systemClock } from '../src/clock';
import { IdentityScript, Recorder, type ScriptHost } from '../src/csms';
import { CsmsConnection } from '../src/csms/connection';
import { IdentityState } from '../src/csms/identity-state';
import {
  callResult,
  messagesFor,
  OCPP_VERSIONS,
  OcppValidator,
  type OcppVersion,
  type Payload,
  parseFrame,
  serializeFrame,
  sharedValidator,
} from '../src/ocpp';
import { benchArgs } from './lib/args';
import { CALL_MIX } from './lib/payloads';
import { fmt, machine, median, nowMs, printTable } from './lib/stats';

const args = benchArgs(0.5);
const budgetMs = args.smoke ? 40 : Math.max(0.05, args.seconds) * 1000;
const MAX_OPS = 5_000_000;
/** The recorder keeps every frame: bound the bytes a path loop may pile up. */
const MAX_RECORDED_BYTES = 200e6;

/** Runs `op` in batches until the budget (or MAX_OPS) is used; returns ns per op. */
function nsPerOp(op: (i: number) => void, maxOps = MAX_OPS, ms = budgetMs): number {
  for (let i = 0; i < Math.min(200, maxOps); i++) op(i); // warm-up
  let ops = 0;
  const start = nowMs();
  let elapsed = 0;
  const batch = Math.max(1, Math.min(1000, Math.floor(maxOps / 20)));
  while (elapsed < ms && ops < maxOps) {
    for (let i = 0; i < batch; i++) op(ops + i);
    ops += batch;
    elapsed = nowMs() - start;
  }
  return (elapsed * 1e6) / ops;
}

/** The mix as request/response pairs of one version (plus BootNotification, sent on every connection). */
function mixOf(
  version: OcppVersion,
): Array<{ name: string; action: string; request: Payload; response: Payload }> {
  const m = messagesFor(version);
  const now = new Date(Date.UTC(2026, 0, 1));
  return [
    {
      name: 'BootNotification',
      action: 'BootNotification',
      request: m.bootNotificationRequest(DEFAULT_BOOT),
      response: m.bootNotificationResponse({ status: 'Accepted', intervalS: 60 }, now),
    },
    ...CALL_MIX.map((entry) => ({
      name: entry.name,
      action: entry.action,
      request: entry.payload,
      response: entry.action === 'Heartbeat' ? m.heartbeatResponse(now) : m.dataTransferResponse('Accepted'),
    })),
  ];
}

function compileTimes(): string[][] {
  const rows: string[][] = [];
  const repeats = args.smoke ? 1 : 3;
  const sets = (args.smoke ? [['1.6', '2.0.1']] : [['1.6'], ['2.0.1'], ['1.6', '2.0.1']]) as OcppVersion[][];
  for (const versions of sets) {
    const times: number[] = [];
    let count = 0;
    for (let r = 0; r < repeats; r++) {
      const start = nowMs();
      const validator = new OcppValidator();
      count = validator.compileAll(versions);
      times.push(nowMs() - start);
    }
    rows.push([
      versions.join(' + '),
      String(count),
      fmt(times[0] as number),
      repeats > 1 ? fmt(median(times.slice(1))) : '—',
    ]);
  }
  return rows;
}

function validateCosts(): string[][] {
  const validator = sharedValidator();
  const rows: string[][] = [];
  for (const version of OCPP_VERSIONS) {
    for (const entry of mixOf(version)) {
      for (const [direction, payload] of [
        ['request', entry.request],
        ['response', entry.response],
      ] as const) {
        if (validator.validate(version, entry.action, direction, payload) !== undefined) {
          throw new Error(`${version} ${entry.name} ${direction} is not valid: the bench mix is wrong`);
        }
        const ns = nsPerOp(() => {
          validator.validate(version, entry.action, direction, payload);
        });
        rows.push([version, entry.name, direction, fmt(ns)]);
      }
    }
  }
  return rows;
}

/** A stub of the few `ws` WebSocket members CsmsConnection uses: open, writes complete at once. */
class StubSocket extends EventEmitter {
  readyState = 1;
  bytesOut = 0;
  send(text: string, done?: () => void): void {
    this.bytesOut += text.length;
    done?.();
  }
  ping(): void {}
  pong(): void {}
  close(): void {
    this.readyState = 3;
    this.emit('close', 1000, Buffer.alloc(0));
  }
  terminate(): void {
    this.close();
  }
}

function csmsConnection(version: OcppVersion, identity: string): { socket: StubSocket; recorder: Recorder } {
  const recorder = new Recorder(systemClock);
  const host: ScriptHost = {
    current: () => undefined,
    defaultBoot: { status: 'Accepted', intervalS: 60 },
    defaultCallTimeoutMs: 30_000,
  };
  const socket = new StubSocket();
  new CsmsConnection({
    identity,
    index: 1,
    version,
    ws: socket as unknown as ConstructorParameters<typeof CsmsConnection>[0]['ws'],
    clock: systemClock,
    recorder,
    script: new IdentityScript(identity, host),
    state: new IdentityState(),
    timingToleranceMs: 0,
    chargePointCallTimeoutMs: 30_000,
    onClosed: () => {},
  });
  const boot = messagesFor(version).bootNotificationRequest(DEFAULT_BOOT);
  socket.emit('message', Buffer.from(JSON.stringify([2, 'boot', 'BootNotification', boot])), false);
  return { socket, recorder };
}

function csmsPath(version: OcppVersion, action: string, payload: Payload): { ns: number; findings: number } {
  const { socket, recorder } = csmsConnection(version, 'BENCH-PATH');
  const body = `","${action}",${JSON.stringify(payload)}]`;
  const maxOps = Math.max(100, Math.min(MAX_OPS, Math.floor(MAX_RECORDED_BYTES / (body.length + 100))));
  let n = 0;
  const ns = nsPerOp(() => {
    n += 1;
    socket.emit('message', Buffer.from(`[2,"m${n}${body}`), false);
  }, maxOps);
  socket.close();
  return { ns, findings: recorder.findings().length };
}

/** The CSMS path split into its steps (same frame, same objects). */
function csmsSteps(version: OcppVersion, action: string, payload: Payload): number[] {
  const validator = sharedValidator();
  const text = JSON.stringify([2, 'm1', action, payload]);
  const buffer = Buffer.from(text);
  const answer =
    action === 'Heartbeat'
      ? messagesFor(version).heartbeatResponse(new Date())
      : messagesFor(version).dataTransferResponse('Accepted');
  const answerFrame = callResult('m1', answer);
  const recorder = new Recorder(systemClock);
  const frame = (parseFrame(text) as { ok: true; frame: { type: 2 } }).frame;
  const maxRecords = Math.max(100, Math.min(MAX_OPS, Math.floor(MAX_RECORDED_BYTES / (text.length + 100))));
  return [
    nsPerOp(() => buffer.toString('utf8')),
    nsPerOp(() => parseFrame(text)),
    nsPerOp(() => validator.validateRequest(version, action, payload)),
    nsPerOp(() => validator.validateResponse(version, action, answer)),
    nsPerOp(() => serializeFrame(answerFrame)),
    nsPerOp(
      () => recorder.record('BENCH-STEP', 1, { kind: 'frame', direction: 'in', text, frame: frame as never }),
      maxRecords,
    ),
  ];
}

/** A transport that answers every CALL at once (in a microtask) with a canned CALLRESULT. */
function stubTransport(version: OcppVersion, answers: Record<string, Payload>) {
  return (_options: unknown, handlers: TransportHandlers): Transport => {
    let open = false;
    const tails = new Map(Object.entries(answers).map(([a, p]) => [a, `",${JSON.stringify(p)}]`]));
    return {
      connect: () => {
        open = true;
        queueMicrotask(() => handlers.open(version === '1.6' ? 'ocpp1.6' : 'ocpp2.0.1'));
      },
      send: (text: string) => {
        if (!open) throw new Error('closed');
        const idEnd = text.indexOf('"', 4);
        const id = text.slice(4, idEnd);
        const action = text.slice(idEnd + 3, text.indexOf('"', idEnd + 3));
        const reply = `[3,"${id}${tails.get(action) ?? '",{}]'}`;
        queueMicrotask(() => handlers.message(reply));
      },
      close: (code: number) => {
        open = false;
        queueMicrotask(() => handlers.close({ reason: 'Clean', code, detail: 'bench' }));
      },
      terminate: () => {
        open = false;
        queueMicrotask(() => handlers.close({ reason: 'TransportError', code: 1006, detail: 'bench' }));
      },
      ioPending: () => false,
    };
  };
}

async function chargePointPath(version: OcppVersion): Promise<string[][]> {
  const m = messagesFor(version);
  const now = new Date(Date.UTC(2026, 0, 1));
  const cp = new ChargePoint({
    url: 'ws://127.0.0.1:9/ocpp/BENCH-CP',
    ocppVersion: version,
    policy: { resumeDelayMs: 0 },
    transportFactory: stubTransport(version, {
      BootNotification: m.bootNotificationResponse({ status: 'Accepted', intervalS: 0 }, now),
      Heartbeat: m.heartbeatResponse(now),
      DataTransfer: m.dataTransferResponse('Accepted'),
    }),
  });
  const online = new Promise<void>((resolve) => cp.once('online', () => resolve()));
  cp.start();
  await online;
  const rows: string[][] = [];
  for (const entry of CALL_MIX) {
    for (let i = 0; i < 200; i++) await cp.call(entry.action, entry.payload);
    let ops = 0;
    const start = nowMs();
    let elapsed = 0;
    while (elapsed < budgetMs && ops < MAX_OPS) {
      await cp.call(entry.action, entry.payload);
      ops += 1;
      if ((ops & 63) === 0) elapsed = nowMs() - start;
    }
    elapsed = nowMs() - start;
    rows.push([version, entry.name, fmt((elapsed * 1e6) / ops)]);
  }
  await cp.stop();
  return rows;
}

async function main(): Promise<void> {
  console.log(`Machine: ${machine()}`);
  // Compile first, in a process that has compiled nothing yet (the start-up cost).
  printTable(
    'Schema compilation (fresh AJV instance)',
    ['versions', 'schemas', 'first compile ms', 'later compiles ms (median)'],
    compileTimes(),
  );
  printTable(
    'Validation cost (ns per validate)',
    ['version', 'action', 'direction', 'ns/validate'],
    validateCosts(),
  );

  const pathRows: string[][] = [];
  const stepRows: string[][] = [];
  for (const version of OCPP_VERSIONS) {
    for (const entry of CALL_MIX) {
      const { ns, findings } = csmsPath(version, entry.action, entry.payload);
      if (findings > 0) throw new Error(`the CSMS path bench produced ${findings} findings`);
      pathRows.push([version, entry.name, fmt(ns)]);
      const steps = csmsSteps(version, entry.action, entry.payload);
      stepRows.push([
        version,
        entry.name,
        ...steps.map((s) => fmt(s)),
        fmt(steps.reduce((a, b) => a + b, 0)),
      ]);
    }
  }
  const cpRows = [...(await chargePointPath('1.6')), ...(await chargePointPath('2.0.1'))];
  printTable(
    'Per-frame path (no sockets)',
    ['version', 'action', 'CSMS: inbound CALL → answer written, ns', 'charge point: whole call(), ns'],
    pathRows.map((row, i) => [...row, (cpRows[i] as string[])[2] as string]),
  );
  printTable(
    'CSMS path, step by step (ns)',
    [
      'version',
      'action',
      'utf8 decode',
      'parse',
      'validate req',
      'validate answer',
      'serialize answer',
      'record 1 event',
      'sum',
    ],
    stepRows,
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
