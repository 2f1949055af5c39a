/**
 * Model-based property tests of the reconnect controller + session: a real ChargePoint on a
 * virtual clock with the fake transport of the charge point's unit tests (the test plays the
 * network and the CSMS). fast-check generates sequences of start, stop, open, close(reason),
 * connect failure, boot answers, pong timeouts, calls, answers, forceDrop / disconnect / connect
 * and time advances; the invariants of SPEC §1–4 are checked after every step (and at the
 * moment of the events that matter).
 *
 * Replay a failure with the seed fast-check prints: FC_SEED=<seed> (and its `path`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type ChargePointFaults,
  expJitterBounds,
  MAX_DELAY_MS,
  type ReconnectPolicy,
} from '../../src/chargepoint';
import {
  CallErrorResponse,
  CallTimeoutError,
  ConnectionClosedError,
  type OcppVersion,
  parseFrame,
  QueueFullError,
  ValidationError,
} from '../../src/ocpp';
import { type FakeTransport, flush, type Harness, harness, seeded } from '../chargepoint/helpers';
import { fcRuns, fcSeed } from './fc-seed';

type Reason = 'Clean' | 'TransportError' | 'ProtocolError';
type BootStatus = 'Accepted' | 'Pending' | 'Rejected';

type Action =
  | { kind: 'start' }
  | { kind: 'stop' }
  | { kind: 'open' }
  | { kind: 'close'; reason: Reason }
  | { kind: 'connectFail' }
  | { kind: 'boot'; status: BootStatus; intervalS: number }
  | { kind: 'pongTimeout' }
  | { kind: 'call'; count: number }
  | { kind: 'answer'; as: 'result' | 'error' | 'invalid'; status: BootStatus; intervalS: number }
  | { kind: 'forceDrop' }
  | { kind: 'disconnect' }
  | { kind: 'connect' }
  | { kind: 'advance'; ms: number }
  | { kind: 'runToNext' }
  | { kind: 'advanceResume' }
  /** Macro: open → boot Accepted → resume delay (each sub-step checked on its own). */
  | { kind: 'bringUp'; intervalS: number };

const bootStatus = fc.constantFrom<BootStatus>('Accepted', 'Accepted', 'Pending', 'Rejected');
const intervalS = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 120 }));

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.constant<Action>({ kind: 'start' }), weight: 2 },
  { arbitrary: fc.constant<Action>({ kind: 'stop' }), weight: 1 },
  { arbitrary: fc.constant<Action>({ kind: 'open' }), weight: 5 },
  {
    arbitrary: fc
      .constantFrom<Reason>('Clean', 'TransportError', 'ProtocolError')
      .map((reason): Action => ({ kind: 'close', reason })),
    weight: 2,
  },
  { arbitrary: fc.constant<Action>({ kind: 'connectFail' }), weight: 2 },
  {
    arbitrary: fc.record({ status: bootStatus, intervalS }).map((r): Action => ({ kind: 'boot', ...r })),
    weight: 5,
  },
  { arbitrary: fc.constant<Action>({ kind: 'pongTimeout' }), weight: 1 },
  {
    arbitrary: fc.integer({ min: 1, max: 4 }).map((count): Action => ({ kind: 'call', count })),
    weight: 4,
  },
  {
    arbitrary: fc
      .record({
        as: fc.constantFrom<'result' | 'error' | 'invalid'>('result', 'result', 'error', 'invalid'),
        status: bootStatus,
        intervalS,
      })
      .map((r): Action => ({ kind: 'answer', ...r })),
    weight: 9,
  },
  { arbitrary: fc.constant<Action>({ kind: 'forceDrop' }), weight: 1 },
  { arbitrary: fc.constant<Action>({ kind: 'disconnect' }), weight: 1 },
  { arbitrary: fc.constant<Action>({ kind: 'connect' }), weight: 1 },
  {
    arbitrary: fc
      .oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 40_000 }))
      .map((ms): Action => ({ kind: 'advance', ms })),
    weight: 5,
  },
  { arbitrary: fc.constant<Action>({ kind: 'runToNext' }), weight: 4 },
  { arbitrary: fc.constant<Action>({ kind: 'advanceResume' }), weight: 2 },
  { arbitrary: intervalS.map((i): Action => ({ kind: 'bringUp', intervalS: i })), weight: 3 },
);

function expand(actions: readonly Action[]): Action[] {
  return actions.flatMap((a): Action[] =>
    a.kind === 'bringUp'
      ? [
          { kind: 'open' },
          { kind: 'boot', status: 'Accepted', intervalS: a.intervalS },
          { kind: 'advanceResume' },
        ]
      : [a],
  );
}

const commonPolicy = {
  resumeDelayMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2000 })),
  rebootOnReconnect: fc.boolean(),
};

const expJitterPolicy: fc.Arbitrary<Partial<ReconnectPolicy>> = fc
  .record({
    initialBackoffMs: fc.integer({ min: 0, max: 2000 }),
    extra: fc.integer({ min: 0, max: 60_000 }),
    jitterRatio: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.95, noNaN: true })),
    ...commonPolicy,
  })
  .map(({ extra, ...p }) => ({ backoff: 'exp-jitter', ...p, maxBackoffMs: p.initialBackoffMs + extra }));

const ocpp201Policy: fc.Arbitrary<Partial<ReconnectPolicy>> = fc.record({
  backoff: fc.constant('ocpp201' as const),
  retryBackOffWaitMinimumMs: fc.integer({ min: 0, max: 5000 }),
  retryBackOffRandomRangeMs: fc.integer({ min: 0, max: 5000 }),
  retryBackOffRepeatTimes: fc.integer({ min: 0, max: 6 }),
  ...commonPolicy,
});

interface Scenario {
  policy: Partial<ReconnectPolicy>;
  version: OcppVersion;
  randomSeed: number;
  callTimeoutMs: number;
  actions: Action[];
  faults?: ChargePointFaults;
}

function scenarioArb(policy: fc.Arbitrary<Partial<ReconnectPolicy>>): fc.Arbitrary<Scenario> {
  return fc.record({
    policy,
    version: fc.constantFrom<OcppVersion>('1.6', '2.0.1'),
    randomSeed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    callTimeoutMs: fc.integer({ min: 50, max: 10_000 }),
    actions: fc
      .array(actionArb, { minLength: 10, maxLength: 60, size: 'max' })
      .map((a): Action[] => [{ kind: 'start' }, ...a]),
  });
}

/** What the test knows about one connection (one fake transport). */
interface Conn {
  readonly index: number;
  readonly t: FakeTransport;
  openedAt?: number;
  acceptedAt?: number;
  /** No BootNotification on this connection (rebootOnReconnect false). */
  noBoot: boolean;
  /** CALL ids the test already answered on this connection. */
  readonly answered: Set<string>;
}

interface TrackedCall {
  readonly seq: number;
  readonly conn: number;
  readonly onlineAtCall: boolean;
  settled: number;
  outcome?: 'resolved' | string;
}

/** What the generated runs exercised (reported with t.diagnostic, quoted in the README). */
const coverage = {
  runs: 0,
  steps: 0,
  connections: 0,
  onlines: 0,
  backoffs: 0,
  calls: 0,
  resolved: 0,
  timeouts: 0,
  closedRejects: 0,
};

/** Runs one generated scenario; throws (assert) at the first broken invariant. */
async function runScenario(s: Scenario): Promise<void> {
  const h: Harness = harness({
    ocppVersion: s.version,
    policy: s.policy,
    random: seeded(s.randomSeed),
    callTimeoutMs: s.callTimeoutMs,
    ...(s.faults ? { faults: s.faults } : {}),
  });
  const { cp, clock } = h;
  const policy = cp.policy;
  const conns: Conn[] = [];
  const calls: TrackedCall[] = [];
  const violations: string[] = [];
  const fail = (what: string) => violations.push(`${what} (t=${clock.now()}, action ${current})`);
  let current = 'none';
  let started = false;
  let held = false;
  let expectedAttempt = 0;
  let previousDelay: number | undefined;
  let pendingReconnect: { at: number; delay: number } | undefined;
  let connectingEvents = 0;
  let seq = 0;
  const seenIds = new Set<string>();
  const seqWrittenOn = new Map<string, number>();

  const liveConn = (): Conn | undefined => {
    const c = conns[conns.length - 1];
    return c && !c.t.ended ? c : undefined;
  };
  const sync = () => {
    for (let i = conns.length; i < h.transports.length; i++) {
      conns.push({ index: i, t: h.transports[i] as FakeTransport, noBoot: false, answered: new Set() });
    }
  };
  const onlineJustified = (): boolean => {
    const c = liveConn();
    if (!c) return false;
    const since = c.noBoot ? c.openedAt : c.acceptedAt;
    return since !== undefined && clock.now() - since >= policy.resumeDelayMs;
  };

  cp.on('connecting', () => {
    connectingEvents++;
    if (!started || held) fail('a connect attempt while stopped or held');
    if (liveConn()) fail('a connect attempt while another transport is live');
    if (pendingReconnect) {
      const due = pendingReconnect.at + pendingReconnect.delay;
      if (current !== 'start' && current !== 'connect' && clock.now() !== due) {
        fail(`reconnect at ${clock.now()}, scheduled for ${due}`);
      }
      pendingReconnect = undefined;
    }
  });
  cp.on('connected', () => {
    sync();
    const c = liveConn();
    if (c) c.openedAt = clock.now();
  });
  cp.on('backoff', ({ attempt, delayMs }) => {
    coverage.backoffs++;
    expectedAttempt++;
    if (attempt !== expectedAttempt) fail(`backoff attempt ${attempt}, expected ${expectedAttempt}`);
    if (!(delayMs >= 0 && delayMs <= MAX_DELAY_MS)) fail(`delay ${delayMs} out of range`);
    if (policy.backoff === 'exp-jitter') {
      const { min, max } = expJitterBounds(policy, attempt);
      if (delayMs < min || delayMs > max)
        fail(`attempt ${attempt}: delay ${delayMs} not in [${min}, ${max}]`);
      if (delayMs > policy.maxBackoffMs) fail(`delay ${delayMs} above max ${policy.maxBackoffMs}`);
    } else {
      const W = policy.retryBackOffWaitMinimumMs;
      const R = policy.retryBackOffRandomRangeMs;
      const K = policy.retryBackOffRepeatTimes;
      let lo: number;
      let hi: number;
      if (attempt === 1 || previousDelay === undefined) [lo, hi] = [W, W + R];
      else if (attempt - 1 > K) [lo, hi] = [previousDelay, previousDelay];
      else [lo, hi] = [2 * previousDelay, 2 * previousDelay + R];
      [lo, hi] = [Math.min(lo, MAX_DELAY_MS), Math.min(hi, MAX_DELAY_MS)];
      if (delayMs < lo || delayMs > hi)
        fail(`ocpp201 attempt ${attempt}: delay ${delayMs} not in [${lo}, ${hi}]`);
    }
    previousDelay = delayMs;
    pendingReconnect = { at: clock.now(), delay: delayMs };
    if (cp.metrics.currentBackoffMs !== delayMs) fail('metrics.currentBackoffMs differs from the delay');
  });
  cp.on('boot', ({ status }) => {
    const c = liveConn();
    if (status === 'Accepted' && cp.state === 'Connected' && c) {
      c.acceptedAt ??= clock.now();
      expectedAttempt = 0;
      previousDelay = undefined;
    }
  });
  cp.on('online', () => {
    coverage.onlines++;
    if (!onlineJustified()) fail('online without Boot Accepted + resume delay on this connection');
    const c = liveConn();
    if (c?.noBoot) {
      expectedAttempt = 0;
      previousDelay = undefined;
    }
  });
  cp.on('frame', ({ direction, text }) => {
    if (direction !== 'out') return;
    sync();
    const c = liveConn();
    if (!c) {
      fail('a frame written with no live connection');
      return;
    }
    const parsed = parseFrame(text);
    if (!parsed.ok || parsed.frame.type !== 2) return;
    const frame = parsed.frame;
    if (seenIds.has(frame.id)) fail(`message id ${frame.id} written twice`);
    seenIds.add(frame.id);
    if (frame.action !== 'BootNotification' && !cp.online) fail(`${frame.action} written while not online`);
    if (frame.action === 'DataTransfer') {
      const data = String(frame.payload['data']);
      if (seqWrittenOn.has(data)) fail(`seq ${data} written again on connection ${c.index}`);
      seqWrittenOn.set(data, c.index);
      const tracked = calls.find((k) => String(k.seq) === data);
      if (tracked && tracked.conn !== c.index) {
        fail(`seq ${data} called on connection ${tracked.conn}, written on ${c.index}`);
      }
    }
  });

  const answerPayload = (action: string, a: Extract<Action, { kind: 'answer' | 'boot' }>) => {
    if (action === 'BootNotification') {
      return { status: a.status, currentTime: new Date(clock.now()).toISOString(), interval: a.intervalS };
    }
    if (action === 'Heartbeat') return { currentTime: new Date(clock.now()).toISOString() };
    if (action === 'DataTransfer') return { status: 'Accepted' };
    return {};
  };

  const checkInvariants = () => {
    sync();
    const live = conns.filter((c) => !c.t.ended);
    if (live.length > 1) fail(`${live.length} transports live at once`);
    if (cp.state === 'Disconnected' && live.length !== 0) fail('Disconnected with a live transport');
    if ((cp.state === 'Connecting' || cp.state === 'Connected') && live.length !== 1) {
      fail(`${cp.state} with ${live.length} live transports`);
    }
    if (connectingEvents !== h.transports.length) fail('a transport per connect attempt, no more');
    if (cp.online) {
      if (cp.state !== 'Connected') fail(`online in state ${cp.state}`);
      if (!liveConn()?.t.isOpen) fail('online without an open socket');
      if (!onlineJustified()) fail('online without Boot Accepted + resume delay on this connection');
    }
    if (cp.metrics.attempt !== expectedAttempt) {
      fail(`attempt counter ${cp.metrics.attempt}, expected ${expectedAttempt} (reset only by Accepted)`);
    }
    if (!started && cp.state === 'Disconnected' && clock.pendingTimers() !== 0) {
      fail(`${clock.pendingTimers()} timers left after stop`);
    }
  };

  for (const action of expand(s.actions)) {
    current = action.kind;
    sync();
    const c = liveConn();
    switch (action.kind) {
      case 'start': {
        pendingReconnect = undefined;
        const expectThrow = started;
        const before: { started: boolean; held: boolean } = { started, held };
        started = true;
        held = false;
        let threw = false;
        try {
          cp.start();
        } catch {
          threw = true;
          ({ started, held } = before);
        }
        if (threw !== expectThrow) fail(`start() threw=${threw} while started=${before.started}`);
        break;
      }
      case 'stop':
        started = false;
        held = false;
        pendingReconnect = undefined;
        await cp.stop();
        break;
      case 'open':
        if (c && !c.t.isOpen && cp.state === 'Connecting') {
          c.t.open();
          if (c.t.calls().length === 0) c.noBoot = true;
        }
        break;
      case 'close':
        if (c?.t.isOpen) {
          const code = action.reason === 'Clean' ? 1000 : action.reason === 'ProtocolError' ? 1002 : 1006;
          c.t.end({ reason: action.reason, code, detail: 'model close' });
        }
        break;
      case 'connectFail':
        if (c && !c.t.isOpen) c.t.end({ reason: 'TransportError', code: 1006, detail: 'ECONNREFUSED' });
        break;
      case 'pongTimeout':
        if (c?.t.isOpen) c.t.terminate('TransportError', 'no pong');
        break;
      case 'boot': {
        if (!c?.t.isOpen) break;
        const boots = c.t.calls().filter((k) => k.action === 'BootNotification' && !c.answered.has(k.id));
        const boot = boots[boots.length - 1];
        if (!boot) break;
        c.answered.add(boot.id);
        c.t.reply(boot, answerPayload('BootNotification', action));
        break;
      }
      case 'answer': {
        if (!c?.t.isOpen) break;
        const call = c.t.calls().find((k) => !c.answered.has(k.id));
        if (!call) break;
        c.answered.add(call.id);
        if (action.as === 'result') c.t.reply(call, answerPayload(call.action, action));
        else if (action.as === 'invalid') c.t.reply(call, { status: 42 });
        else c.t.receive(JSON.stringify([4, call.id, 'InternalError', 'model error', {}]));
        break;
      }
      case 'call':
        for (let i = 0; i < action.count; i++) {
          seq++;
          const tracked: TrackedCall = {
            seq,
            conn: liveConn()?.index ?? -1,
            onlineAtCall: cp.online,
            settled: 0,
          };
          calls.push(tracked);
          const written = c?.t.written.length ?? 0;
          cp.call('DataTransfer', { vendorId: 'Model', data: String(seq) }).then(
            () => {
              tracked.settled++;
              tracked.outcome = 'resolved';
            },
            (error: Error) => {
              tracked.settled++;
              tracked.outcome = error.name;
              const known =
                error instanceof ConnectionClosedError ||
                error instanceof CallTimeoutError ||
                error instanceof CallErrorResponse ||
                error instanceof ValidationError ||
                error instanceof QueueFullError;
              if (!known)
                fail(`call ${tracked.seq} rejected with an unexpected ${error.name}: ${error.message}`);
            },
          );
          if (!tracked.onlineAtCall && (c?.t.written.length ?? 0) !== written) {
            fail('a call while offline wrote a frame');
          }
        }
        break;
      case 'forceDrop':
        cp.forceDrop();
        break;
      case 'disconnect':
        if (started) held = true;
        pendingReconnect = undefined;
        await cp.disconnect();
        break;
      case 'connect':
        pendingReconnect = undefined;
        started = true;
        held = false;
        cp.connect();
        break;
      case 'advance':
        clock.advance(action.ms);
        break;
      case 'runToNext':
        clock.runToNext();
        break;
      case 'advanceResume':
        clock.advance(policy.resumeDelayMs);
        break;
      case 'bringUp':
        break; // expanded above
    }
    await flush();
    coverage.steps++;
    checkInvariants();
    if (violations.length > 0) break;
  }

  coverage.runs++;
  current = 'final stop';
  started = false;
  await cp.stop();
  await flush();
  await flush();
  for (const k of calls) {
    if (k.settled !== 1) fail(`call ${k.seq} settled ${k.settled} times`);
    if (!k.onlineAtCall && k.outcome !== 'ConnectionClosedError') {
      fail(`call ${k.seq} made offline ended ${k.outcome}, expected ConnectionClosedError`);
    }
  }
  if (clock.pendingTimers() !== 0) fail(`${clock.pendingTimers()} timers left after the final stop`);
  coverage.connections += h.transports.length;
  coverage.calls += calls.length;
  coverage.resolved += calls.filter((k) => k.outcome === 'resolved').length;
  coverage.timeouts += calls.filter((k) => k.outcome === 'CallTimeoutError').length;
  coverage.closedRejects += calls.filter(
    (k) => k.outcome === 'ConnectionClosedError' && k.onlineAtCall,
  ).length;
  if (cp.state !== 'Disconnected') fail(`state ${cp.state} after the final stop`);
  assert.deepEqual(violations, [], JSON.stringify({ policy: cp.policy, version: s.version }));
}

async function check(
  policy: fc.Arbitrary<Partial<ReconnectPolicy>>,
  t: { diagnostic(message: string): void },
): Promise<void> {
  for (const key of Object.keys(coverage) as Array<keyof typeof coverage>) coverage[key] = 0;
  await fc.assert(fc.asyncProperty(scenarioArb(policy), runScenario), {
    seed: fcSeed(),
    numRuns: fcRuns(),
    verbose: 1,
  });
  t.diagnostic(`coverage ${JSON.stringify(coverage)}`);
  assert.ok(
    coverage.onlines > 0 && coverage.backoffs > 0 && coverage.resolved > 0,
    'the runs reach every state',
  );
}

describe('reconnect controller + session: model-based properties (fast-check)', () => {
  it(`exp-jitter back-off: ${fcRuns()} random sequences keep every invariant (seed ${fcSeed()})`, async (t) => {
    await check(expJitterPolicy, t);
  });

  it(`ocpp201 back-off: ${fcRuns()} random sequences keep every invariant (seed ${fcSeed()})`, async (t) => {
    await check(ocpp201Policy, t);
  });

  it('the invariants catch broken charge points (test-only faults)', async () => {
    const base: Scenario = {
      policy: { initialBackoffMs: 100, maxBackoffMs: 1600, jitterRatio: 0, resumeDelayMs: 250 },
      version: '1.6',
      randomSeed: 1,
      callTimeoutMs: 1000,
      actions: [],
    };
    const cycle: Action[] = [{ kind: 'open' }, { kind: 'close', reason: 'Clean' }, { kind: 'runToNext' }];
    const online: Action[] = [
      { kind: 'open' },
      { kind: 'boot', status: 'Accepted', intervalS: 0 },
      { kind: 'advance', ms: 250 },
    ];
    await runScenario({ ...base, actions: [{ kind: 'start' }, ...cycle, ...cycle] });
    const cases: Array<[string, ChargePointFaults, Action[], RegExp]> = [
      [
        'resetAttemptsOnOpen',
        { resetAttemptsOnOpen: true },
        [{ kind: 'start' }, ...cycle, ...cycle],
        /attempt/,
      ],
      ['skipResumeDelay', { skipResumeDelay: true }, [{ kind: 'start' }, ...online], /online without/],
      [
        'noJitterCap',
        { noJitterCap: true },
        [{ kind: 'start' }, ...cycle, ...cycle, ...cycle, ...cycle, ...cycle, ...cycle],
        /not in|above max/,
      ],
      [
        'resendInFlight',
        { resendInFlight: true },
        [
          { kind: 'start' },
          ...online,
          { kind: 'call', count: 2 },
          { kind: 'forceDrop' },
          { kind: 'runToNext' },
          ...online,
        ],
        /written (again|twice)/,
      ],
      ['noBackoff', { noBackoff: true }, [{ kind: 'start' }, ...cycle], /not in|scheduled for/],
    ];
    for (const [name, faults, actions, pattern] of cases) {
      const policy = name === 'noJitterCap' ? { ...base.policy, jitterRatio: 0.5 } : base.policy;
      await assert.rejects(runScenario({ ...base, policy, faults, actions }), pattern, name);
    }
  });
});
