/**
 * The soak engine (soak.test.ts runs 1 000 cycles, `npm run soak -- --cycles N` any number):
 * a real ChargePoint against the real TestCsms over loopback, on one virtual clock. Each cycle:
 * online → N DataTransfer calls (the CSMS withholds their answers, so one is in flight and the
 * rest queued) → a drop (alternately forceDrop at the charge point, terminate and close 1001 at
 * the CSMS) → every call rejects ConnectionClosed → back-off → reconnect → boot → online.
 *
 * The CSMS is replaced by a fresh one on the same port every `window` cycles (its recorder is
 * append-only by design), so heap and handle figures measure the charge point and the sockets,
 * not the test log. Message ids and seqs are checked across the whole run.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ChargePoint } from '../../src/chargepoint';
import { VirtualClock } from '../../src/clock';
import { TestCsms } from '../../src/csms';
import { ConnectionClosedError, parseFrame } from '../../src/ocpp';

export interface SoakOptions {
  readonly cycles: number;
  /** Calls made per cycle before the drop (default 3). */
  readonly callsPerCycle?: number;
  /** A fresh CSMS every `window` cycles (default 100). */
  readonly window?: number;
  /** Real-time bound of the whole run. */
  readonly timeBudgetMs: number;
  /** Called after each window with the checkpoint just taken. */
  readonly onCheckpoint?: (checkpoint: Checkpoint) => void;
}

export interface Checkpoint {
  readonly cycle: number;
  /** Heap used after a forced GC, bytes. */
  readonly heapUsed: number;
  /** process.getActiveResourcesInfo() by type. */
  readonly resources: Record<string, number>;
  /** Listeners on the charge point, all events together. */
  readonly cpListeners: number;
  /** Listeners on `process`, all events together. */
  readonly processListeners: number;
  readonly pendingTimers: number;
  readonly elapsedMs: number;
}

export interface SoakResult {
  readonly cycles: number;
  readonly calls: number;
  readonly settled: number;
  readonly rejectedClosed: number;
  readonly otherOutcomes: string[];
  /** CALL ids the CSMS saw more than once (across all connections and CSMS windows). */
  readonly duplicateIds: number;
  /** DataTransfer seqs the CSMS saw more than once. */
  readonly duplicateSeqs: number;
  /** recorder.duplicates() summed over the windows. */
  readonly recorderDuplicates: number;
  readonly findings: string[];
  readonly connections: number;
  readonly checkpoints: Checkpoint[];
  readonly elapsedMs: number;
}

/** A forced full GC (exposes gc at run time when the process was not started with --expose-gc). */
export function forcedGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  setFlagsFromString('--expose_gc');
  return runInNewContext('gc') as () => void;
}

function resources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

function listenerTotal(emitter: NodeJS.EventEmitter): number {
  return emitter.eventNames().reduce((sum, name) => sum + emitter.listenerCount(name), 0);
}

/** Resolves when `predicate` holds, checking every event-loop turn; rejects after `ms` of real time. */
async function until(predicate: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`soak: timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const gc = forcedGc();
  const callsPerCycle = options.callsPerCycle ?? 3;
  const window = options.window ?? 100;
  const started = Date.now();
  const clock = new VirtualClock(0);
  const identity = 'SOAK001';
  const seenIds = new Set<string>();
  const seenSeqs = new Set<string>();
  let duplicateIds = 0;
  let duplicateSeqs = 0;
  let recorderDuplicates = 0;
  let connections = 0;
  const findings: string[] = [];

  let csms = new TestCsms({ clock, bootAnswer: { status: 'Accepted', intervalS: 0 } });
  const { port } = await csms.listen();
  const watch = (server: TestCsms) => {
    server.script(identity).withholdAnswers('DataTransfer');
    server.on('event', (event: { kind: string; direction?: string; text?: string }) => {
      if (event.kind !== 'frame' || event.direction !== 'in' || typeof event.text !== 'string') return;
      const parsed = parseFrame(event.text);
      if (!parsed.ok || parsed.frame.type !== 2) return;
      if (seenIds.has(parsed.frame.id)) duplicateIds++;
      seenIds.add(parsed.frame.id);
      if (parsed.frame.action === 'DataTransfer') {
        const seq = String(parsed.frame.payload['data']);
        if (seenSeqs.has(seq)) duplicateSeqs++;
        seenSeqs.add(seq);
      }
    });
  };
  const retire = async (server: TestCsms) => {
    recorderDuplicates += server.recorder.duplicates(identity).length;
    for (const f of server.recorder.findings(identity)) findings.push(`${f.kind}: ${f.message}`);
    connections += server.recorder.connections(identity).length;
    await server.close();
    server.removeAllListeners();
  };
  watch(csms);

  const cp = new ChargePoint({
    url: csms.url(identity),
    ocppVersion: '1.6',
    clock,
    policy: { initialBackoffMs: 100, maxBackoffMs: 1600, jitterRatio: 0.2, resumeDelayMs: 50 },
    callTimeoutMs: 60_000,
  });
  let booted = 0;
  let closedCount = 0;
  cp.on('boot', () => booted++);
  cp.on('closed', () => closedCount++);
  cp.on('warning', () => {});

  let calls = 0;
  let settled = 0;
  let rejectedClosed = 0;
  const otherOutcomes: string[] = [];
  const checkpoints: Checkpoint[] = [];
  let seq = 0;

  const comeOnline = async () => {
    const before = booted;
    await until(() => booted > before || cp.online, 'the boot answer');
    clock.advance(50);
    await until(() => cp.online, 'online');
  };

  try {
    cp.start();
    await comeOnline();
    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      if (Date.now() - started > options.timeBudgetMs) {
        throw new Error(`soak: time budget of ${options.timeBudgetMs} ms spent after ${cycle - 1} cycles`);
      }
      // Calls in flight at the drop: the CSMS withholds DataTransfer answers.
      const outcomes: Array<Promise<void>> = [];
      for (let i = 0; i < callsPerCycle; i++) {
        seq++;
        calls++;
        outcomes.push(
          cp.call('DataTransfer', { vendorId: 'Soak', data: String(seq) }).then(
            () => {
              settled++;
              otherOutcomes.push('resolved');
            },
            (error: Error) => {
              settled++;
              if (error instanceof ConnectionClosedError) rejectedClosed++;
              else otherOutcomes.push(error.name);
            },
          ),
        );
      }
      const firstSeq = String(seq - callsPerCycle + 1);
      await until(() => seenSeqs.has(firstSeq), `DataTransfer ${firstSeq} at the CSMS`);
      const closedBefore = closedCount;
      switch (cycle % 3) {
        case 0:
          cp.forceDrop();
          break;
        case 1:
          await csms.script(identity).terminateNow();
          break;
        default:
          await csms.script(identity).closeNow(1001, 'going away');
      }
      await until(() => closedCount > closedBefore, 'the close at the charge point');
      await Promise.all(outcomes);
      if (cycle % window === 0) {
        // A fresh CSMS on the same port (the old recorder goes), then the checkpoint.
        await retire(csms);
        csms = new TestCsms({ clock, bootAnswer: { status: 'Accepted', intervalS: 0 } });
        await csms.listen({ port });
        watch(csms);
      }
      clock.runToNext(); // the reconnect
      await comeOnline();
      if (cycle % window === 0) {
        gc();
        gc();
        const checkpoint: Checkpoint = {
          cycle,
          heapUsed: process.memoryUsage().heapUsed,
          resources: resources(),
          cpListeners: listenerTotal(cp),
          processListeners: listenerTotal(process),
          pendingTimers: clock.pendingTimers(),
          elapsedMs: Date.now() - started,
        };
        checkpoints.push(checkpoint);
        options.onCheckpoint?.(checkpoint);
      }
    }
  } finally {
    await cp.stop();
    await retire(csms);
  }
  return {
    cycles: options.cycles,
    calls,
    settled,
    rejectedClosed,
    otherOutcomes,
    duplicateIds,
    duplicateSeqs,
    recorderDuplicates,
    findings,
    connections,
    checkpoints,
    elapsedMs: Date.now() - started,
  };
}
