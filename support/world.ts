import { type IWorldOptions, setWorldConstructor, World } from '@cucumber/cucumber';
import type { ChargePoint, ChargePointFaults } from '../src/chargepoint';
import { DEFAULT_POLICY, type ReconnectPolicy, resolvePolicy } from '../src/chargepoint/policy';
import { type Clock, systemClock, VirtualClock } from '../src/clock';
import { type Finding, type FindingKind, type RecordedCall, TestCsms } from '../src/csms';
import { canonicalJson } from '../src/csms/canonical-json';
import { ConnectionClosedError } from '../src/ocpp/errors';
import type { Payload } from '../src/ocpp/frames';
import { messagesFor, type TriggerableMessage } from '../src/ocpp/messages';
import { sharedValidator, type ValidationFailure } from '../src/ocpp/validator';
import { isOcppVersion, type OcppVersion } from '../src/ocpp/version';
import {
  backoffWindow,
  describeMeasurement,
  EXACT,
  fmt,
  inWindow,
  REAL_TIME,
  slack,
  type Tolerance,
  type Window,
  widen,
} from './bounds';
import { DataTransferNumbers, type NumberedMessages, TriggeredStatusNumbers } from './numbered-messages';
import { Observations } from './observations';
import { policyFromTable } from './policy-table';
import { renderTimeline, type TimelineCheck } from './report/timeline';
import type { SutAdapter } from './sut/adapter';
import { ExternalSut } from './sut/external';
import { ReferenceSut } from './sut/reference';
import { loadSutFile, type SutFile } from './sut/sut-file';
import { TimeKeeper } from './time-keeper';
import { UnreachableDoor } from './unreachable-door';

export interface WorldParameters {
  /** `virtual` (default): policy time runs on a virtual clock; `system`: real time. */
  readonly clock?: 'virtual' | 'system';
  /** Test-only rule breakers handed to the reference charge point (mutation tests). */
  readonly faults?: ChargePointFaults;
  /** Overrides the timing tolerance of the clock mode. */
  readonly tolerance?: Tolerance;
  /** The reference charge point's random source: a seed, or `"max"` for the top of every jitter range. */
  readonly random?: number | 'max';
  /** Path of a SUT file: run the scenarios against that third-party charge point (system clock). */
  readonly sut?: string;
}

/** Generous bounds for things that have no policy number of their own. */
const BRING_UP_LIMIT_MS = 10_000;

let scenarioCounter = 0;

/**
 * The state of one scenario: the charge point under test, the test CSMS, the clock, the policy
 * in force and the evidence gathered. Steps call its methods and hold no logic of their own.
 */
export class ConformanceWorld extends World<WorldParameters> {
  version: OcppVersion = '1.6';
  policy: ReconnectPolicy = DEFAULT_POLICY;
  readonly clock: Clock;
  readonly tolerance: Tolerance;
  readonly keeper: TimeKeeper;
  readonly identity: string;
  readonly csms: TestCsms;
  readonly sut: SutAdapter;
  readonly obs: Observations;
  readonly numbered: NumberedMessages;
  /** The SUT file, when a third-party charge point is under test. */
  readonly sutFile: SutFile | undefined;
  private readonly checks: TimelineCheck[] = [];
  private readonly expectedFindings = new Set<FindingKind>();
  private heartbeatIntervalS = 60;
  private pings: { intervalMs: number; pongTimeoutMs: number } | undefined;
  private started = false;
  /** Where the charge point connects; stays the same while the CSMS is made unreachable. */
  private url = '';
  private door: UnreachableDoor | undefined;
  /** The attempts the unreachable stand-in saw, kept once the CSMS is back. */
  private doorIntervals: Array<{ from: number; delay: number }> = [];
  /** The close the latest "connects again" expectation is measured from. */
  private lastDrop: { at: number; connection: number } | undefined;
  private trigger: { outcome: Payload | Error | undefined; at: number } | undefined;
  private offlineSend: { error: Error | undefined; atOnce: boolean } | undefined;
  private batches: number[][] = [];
  private checked: { action: string; failure: ValidationFailure | undefined } | undefined;

  constructor(options: IWorldOptions<WorldParameters>) {
    super(options);
    const sutFile = options.parameters.sut === undefined ? undefined : loadSutFile(options.parameters.sut);
    this.sutFile = sutFile;
    // A third-party charge point runs on its own (real) clock.
    const virtual = sutFile === undefined && (options.parameters.clock ?? 'virtual') === 'virtual';
    this.clock = virtual ? new VirtualClock(Date.UTC(2026, 0, 1)) : systemClock;
    this.tolerance = options.parameters.tolerance ?? sutFile?.tolerance ?? (virtual ? EXACT : REAL_TIME);
    const generated = `CP${String(++scenarioCounter).padStart(4, '0')}`;
    this.identity =
      sutFile === undefined || sutFile.command?.includes('{identity}') ? generated : sutFile.identity;
    this.csms = new TestCsms({
      clock: this.clock,
      timingToleranceMs: this.tolerance.absoluteMs,
      bootAnswer: { status: 'Accepted', intervalS: this.heartbeatIntervalS },
      ...(sutFile?.basicAuth === undefined
        ? {}
        : { basicAuth: { [this.identity]: sutFile.basicAuth.password } }),
    });
    this.obs = new Observations(this.csms.recorder, this.identity);
    if (sutFile === undefined) {
      const reference = new ReferenceSut();
      this.sut = reference;
      this.numbered = new DataTransferNumbers(
        () => this.requireReference('numbered messages go through the charge point API'),
        () => this.version,
      );
    } else {
      this.sut = new ExternalSut(sutFile);
      this.numbered = new TriggeredStatusNumbers(
        this.script(),
        this.csms.recorder,
        this.identity,
        () => this.version,
      );
    }
    this.keeper = new TimeKeeper(this.clock, {
      busy: () => [
        ...(this.sut.ioPending() ? ['charge point'] : []),
        ...(this.csms.ioPending() ? ['CSMS'] : []),
        ...(this.door?.ioPending() ? ['closed door'] : []),
      ],
      activity: () => {
        const s = this.csms.stats(this.identity);
        return this.csms.recorder.events().length + s.framesSent + s.framesReceived;
      },
      subscribe: (listener) => {
        this.csms.recorder.on('event', listener);
        return () => this.csms.recorder.off('event', listener);
      },
    });
  }

  /* ---------------------------------------------------------------- set-up */

  async prepare(): Promise<void> {
    const port = this.sutFile?.command === null ? this.sutFile.csmsPort : 0;
    await this.csms.listen({ host: '127.0.0.1', port: port ?? 0 });
    this.url = this.csms.url(this.identity);
  }

  useVersion(version: string): void {
    if (!isOcppVersion(version))
      throw new Error(`unknown OCPP version ${JSON.stringify(version)}; use 1.6 or 2.0.1`);
    this.version = version;
  }

  setPolicy(rows: readonly (readonly string[])[]): void {
    this.policy = policyFromTable(rows);
    this.log(`policy in force: ${JSON.stringify(this.policy)}`);
  }

  amendPolicy(change: Partial<ReconnectPolicy>): void {
    this.policy = resolvePolicy({ ...this.policy, ...change });
  }

  csmsAccepts(intervalS: number): void {
    this.heartbeatIntervalS = intervalS;
    this.script().bootAnswer('Accepted', intervalS);
  }

  csmsAnswersFirstBoot(status: 'Pending' | 'Rejected', retryS: number): void {
    this.script().bootAnswers([
      { status, intervalS: retryS },
      { status: 'Accepted', intervalS: this.heartbeatIntervalS },
    ]);
  }

  csmsAnswersEveryBoot(status: 'Pending' | 'Rejected', retryS: number): void {
    this.script().bootAnswer(status, retryS);
  }

  csmsClosesAfterHandshake(connections: number): void {
    this.script().closeAfterHandshake(connections);
  }

  csmsRefusesUpgrades(attempts: number, httpStatus: number): void {
    this.script().refuseUpgrade(attempts, httpStatus);
  }

  csmsOffersNoCommonSubprotocol(connections: number): void {
    this.script().acceptNoSubprotocol(connections);
  }

  csmsDelaysNumberedAnswers(ms: number): void {
    this.script().delayAnswers(ms, this.numbered.action);
  }

  csmsWithholdsAnswers(action: string): void {
    this.script().withholdAnswers(action);
  }

  csmsDropsOnNumberedMessage(n: number): void {
    this.script().closeOnMessage(n, { action: this.numbered.action });
  }

  chargePointPings(intervalMs: number, pongTimeoutMs: number): void {
    this.pings = { intervalMs, pongTimeoutMs };
  }

  async nothingAcceptsConnections(): Promise<void> {
    await this.csms.close();
    this.door = new UnreachableDoor(this.clock);
    await this.door.open(this.csms.port);
  }

  /** The CSMS process goes away (closing every connection as a shutdown does) and comes back on the same port. */
  async csmsRestarts(downMs: number): Promise<void> {
    this.markDrop();
    const port = this.csms.port;
    await this.csms.close();
    await this.keeper.pass(downMs);
    await this.csms.listen({ host: '127.0.0.1', port });
  }

  async comesOnlineWithin(ms: number): Promise<void> {
    await this.awaitOnline(ms, this.lastDrop?.at ?? -Infinity);
  }

  async csmsStartsAccepting(): Promise<void> {
    const door = this.door;
    if (door === undefined) throw new Error('the CSMS was not made unreachable in this scenario');
    const port = door.port;
    this.doorIntervals = door.intervals();
    await door.close();
    this.door = undefined;
    await this.csms.listen({ host: '127.0.0.1', port });
  }

  expectFinding(kind: FindingKind): void {
    this.expectedFindings.add(kind);
  }

  /* ------------------------------------------------------------- life-cycle */

  /**
   * Starts the charge point under test with the scenario's policy. For a third-party charge
   * point the policy in force may be the one its SUT file claims (the report says so), and a
   * scenario it cannot be given is NOT APPLICABLE: the step then answers 'skipped'.
   */
  async startChargePoint(): Promise<'skipped' | undefined> {
    if (this.started) throw new Error('the charge point was already started in this scenario');
    if (this.sut instanceof ExternalSut) {
      const verdict = this.sut.policyInForce(this.policy, {
        pings: this.pings !== undefined,
        version: this.version,
      });
      if (!verdict.applicable) {
        this.log(`NOT APPLICABLE: ${verdict.reason}`);
        return 'skipped';
      }
      if (verdict.replaced.length) {
        this.log(
          `policy replaced by the SUT file's claim (no placeholder in its command): ${verdict.replaced.join(', ')}`,
        );
      }
      this.policy = verdict.policy;
    }
    this.started = true;
    await this.sut.start({
      url: this.url,
      identity: this.identity,
      version: this.version,
      policy: this.policy,
      clock: this.clock,
      ...(this.pings === undefined ? {} : { pings: this.pings }),
      ...(this.parameters.faults === undefined ? {} : { faults: this.parameters.faults }),
      ...(this.parameters.random === undefined ? {} : { random: randomSource(this.parameters.random) }),
    });
    if (this.sut instanceof ExternalSut) await this.awaitFirstAttempt(this.sut);
    return undefined;
  }

  /** A spawned charge point must reach the CSMS (or its stand-in) within its start-up time. */
  private async awaitFirstAttempt(sut: ExternalSut): Promise<void> {
    const limit = this.sutFile?.startupTimeoutMs ?? 15_000;
    await this.keeper.waitFor(
      `${sut.name} to connect`,
      limit,
      () => {
        const died = sut.exitedEarly();
        if (died !== undefined)
          throw new Error(`${sut.name} ${died} before it connected:\n${sut.output().slice(-2000)}`);
        return this.obs.upgrades().length > 0 || (this.door?.attemptCount() ?? 0) > 0 ? true : undefined;
      },
      () => sut.output().slice(-2000),
    );
  }

  /** Marks a scenario that needs the reference charge point's insides as NOT APPLICABLE for another charge point. */
  referenceOnly(): 'skipped' | undefined {
    if (this.sut.kind === 'reference') return undefined;
    this.log(`NOT APPLICABLE: @reference-only — the scenario needs the reference charge point's insides`);
    return 'skipped';
  }

  /** Starts the charge point if needed and waits until the CSMS sees it online (a Heartbeat after an accepted boot). */
  async chargePointIsOnline(): Promise<'skipped' | undefined> {
    if (!this.started && (await this.startChargePoint()) === 'skipped') return 'skipped';
    await this.awaitOnline(BRING_UP_LIMIT_MS + this.policy.resumeDelayMs);
    return undefined;
  }

  private async awaitOnline(withinMs: number, after = -Infinity): Promise<RecordedCall> {
    return this.keeper.waitFor(
      'the charge point online (a Heartbeat on a connection whose boot was accepted)',
      withinMs,
      () => {
        for (const c of [...this.obs.openedConnections()].reverse()) {
          if ((c.openAt as number) < after) break;
          const heartbeat = this.obs.firstHeartbeatOn(c.index);
          if (heartbeat !== undefined) return heartbeat;
        }
        return undefined;
      },
      () => this.obs.summary(),
    );
  }

  async comesOnlineAgain(): Promise<void> {
    const after = this.lastDrop?.at ?? -Infinity;
    await this.awaitOnline(this.policy.maxBackoffMs * 2 + BRING_UP_LIMIT_MS, after);
  }

  /* --------------------------------------------------------------- stimuli */

  async csmsClosesConnection(): Promise<void> {
    this.markDrop();
    await this.script().closeNow(1000, 'closed by the test CSMS');
  }

  async connectionIsCut(): Promise<void> {
    this.markDrop();
    await this.script().terminateNow();
  }

  private markDrop(): void {
    const connection = this.obs.latestConnection();
    if (connection?.openAt === undefined || connection.closeAt !== undefined) {
      throw new Error(`the charge point has no open connection to drop (${this.obs.summary()})`);
    }
    this.lastDrop = { at: this.clock.now(), connection: connection.index };
  }

  csmsStopsAnsweringPings(): void {
    this.lastDrop = { at: this.clock.now(), connection: this.obs.latestConnection()?.index ?? 0 };
    this.script().answerPings(false);
  }

  csmsPings(intervalMs: number, pongTimeoutMs: number): void {
    this.script().startPings(intervalMs, pongTimeoutMs);
  }

  async timePasses(ms: number): Promise<void> {
    await this.keeper.pass(ms);
  }

  sendNumberedMessages(count: number): void {
    this.batches.push(this.numbered.send(count));
  }

  csmsTriggers(message: string): void {
    const payload = messagesFor(this.version).triggerMessageRequest(message as TriggerableMessage);
    const trigger: { outcome: Payload | Error | undefined; at: number } = {
      outcome: undefined,
      at: this.clock.now(),
    };
    this.trigger = trigger;
    this.script()
      .sendCall('TriggerMessage', payload, { timeoutMs: 5_000 })
      .then(
        (answer) => {
          trigger.outcome = answer;
        },
        (error: Error) => {
          trigger.outcome = error;
        },
      );
  }

  /* ----------------------------------------------------------- expectations */

  /** Waits for the next connection attempt after the last drop and checks its delay against attempt n's window. */
  async connectsAgainWithinWindow(attempt: number): Promise<void> {
    const drop = this.lastDrop;
    if (drop === undefined) throw new Error('no drop to measure a reconnect from');
    const closeAt = await this.keeper.waitFor(
      'the close of the dropped connection',
      BRING_UP_LIMIT_MS,
      () => this.obs.connections().find((c) => c.index === drop.connection)?.closeAt,
    );
    const window = widen(backoffWindow(this.policy, attempt), this.tolerance);
    const upgrade = await this.keeper
      .waitFor(
        `a connection attempt after the close (attempt ${attempt})`,
        window.max + 1,
        () => this.obs.upgrades().find((u) => u.at >= closeAt && u.connection > drop.connection),
        () => this.obs.summary(),
      )
      .catch((error: Error) => {
        this.recordCheck(`attempt ${attempt}`, closeAt, window, undefined, false);
        throw error;
      });
    this.verifyDelay(`attempt ${attempt} reconnected`, closeAt, upgrade.at, window);
  }

  /** Waits for `count` reconnects (each after a close or a refusal) and checks each delay. */
  async reconnectsWithinWindows(count: number): Promise<void> {
    const intervals = await this.keeper.waitFor(
      `${count} reconnect attempts`,
      this.worstCaseBackoffMs(count) + BRING_UP_LIMIT_MS,
      () => {
        const measured = this.measuredIntervals();
        return measured.length >= count ? measured.slice(0, count) : undefined;
      },
      () => this.obs.summary(),
    );
    const failures: string[] = [];
    let previous: number | undefined;
    intervals.forEach(({ from, delay }, i) => {
      const window = widen(backoffWindow(this.policy, i + 1, previous), this.tolerance);
      const ok = inWindow(delay, window);
      this.recordCheck(`attempt ${i + 1}`, from, window, from + delay, ok);
      const line = describeMeasurement(`attempt ${i + 1} reconnected`, delay, window);
      this.log(`${ok ? '✔' : '✘'} ${line}`);
      if (!ok) failures.push(line);
      previous = delay;
    });
    if (failures.length) throw new Error(failures.join('\n'));
  }

  noDelayAboveMaximum(): void {
    if (this.policy.backoff !== 'exp-jitter')
      throw new Error('the maximum back-off belongs to the exp-jitter model');
    const max = this.policy.maxBackoffMs;
    const limit = max + slack(this.tolerance, max) + 1;
    const over = this.measuredIntervals().filter((i) => i.delay > limit);
    if (over.length) {
      throw new Error(
        over
          .map((o) => `a reconnect came after ${fmt(o.delay)} ms; the maximum back-off is ${fmt(max)} ms`)
          .join('\n'),
      );
    }
  }

  eachDelayAtLeast(ratio: number): void {
    const delays = this.measuredIntervals().map((i) => i.delay);
    const failures: string[] = [];
    for (let i = 1; i < delays.length; i++) {
      const previous = delays[i - 1] as number;
      const current = delays[i] as number;
      if (current < ratio * previous - slack(this.tolerance, previous) - 1) {
        failures.push(
          `attempt ${i + 1} waited ${fmt(current)} ms, less than ${ratio} × the ${fmt(previous)} ms before it`,
        );
      }
    }
    if (failures.length) throw new Error(failures.join('\n'));
  }

  firstMessageOnNewConnectionIs(action: string): Promise<void> {
    return this.keeper
      .waitFor('the first message on the new connection', BRING_UP_LIMIT_MS, () => {
        const c = this.newConnection();
        return c === undefined ? undefined : this.obs.callsOn(c)[0];
      })
      .then((first) => {
        if (first.action !== action) {
          throw new Error(
            `the first message on the new connection was a ${first.action}, expected a ${action}`,
          );
        }
      });
  }

  /** After an accepted boot on the newest connection: no other CALL before the resume delay, and the first Heartbeat right at it. */
  async heartbeatsResumeAfterResumeDelay(): Promise<void> {
    const connection = this.newConnection() ?? this.obs.latestConnection()?.index;
    if (connection === undefined) throw new Error('the charge point never connected');
    const accepted = await this.keeper.waitFor(
      'an accepted BootNotification on the new connection',
      BRING_UP_LIMIT_MS,
      () => this.obs.acceptedBootOn(connection),
      () => this.obs.summary(),
    );
    await this.resumeFrom(connection, accepted.at, 'the boot was accepted');
  }

  /** Without a re-boot: the first CALL on the new connection comes the resume delay after it opened. */
  async heartbeatsResumeAfterOpen(): Promise<void> {
    const connection = this.newConnection();
    const record = this.obs.connections().find((c) => c.index === connection);
    if (record?.openAt === undefined) throw new Error(`no new connection opened (${this.obs.summary()})`);
    await this.resumeFrom(record.index, record.openAt, 'the connection opened');
  }

  private async resumeFrom(connection: number, from: number, what: string): Promise<void> {
    const rd = this.policy.resumeDelayMs;
    const window = widen({ min: rd, max: rd, explain: `resume delay ${rd} ms` }, this.tolerance);
    const heartbeat = await this.keeper.waitFor(
      'the first Heartbeat after the resume delay',
      window.max + this.heartbeatIntervalS * 1000 + 1,
      () => this.obs.firstHeartbeatOn(connection),
      () => this.obs.summary(),
    );
    const early = this.obs
      .callsOn(connection)
      .find((c) => c.action !== 'BootNotification' && c.at < from + window.min);
    if (early !== undefined) {
      this.recordCheck('resume delay', from, window, early.at, false);
      throw new Error(
        `a ${early.action} arrived ${fmt(early.at - from)} ms after ${what}; nothing but a BootNotification may come before the resume delay of ${rd} ms`,
      );
    }
    this.verifyDelay('the first Heartbeat came', from, heartbeat.at, window, what);
  }

  async heartbeatsKeepComing(count: number): Promise<void> {
    const connection = this.obs.latestConnection()?.index ?? 0;
    const before = this.obs.callsOn(connection, 'Heartbeat').length;
    await this.keeper.waitFor(
      `${count} more Heartbeats`,
      (count + 1) * this.heartbeatIntervalS * 1000 + BRING_UP_LIMIT_MS,
      () => (this.obs.callsOn(connection, 'Heartbeat').length >= before + count ? true : undefined),
      () => this.obs.summary(),
    );
  }

  async onlyBootUntilAccepted(): Promise<void> {
    const accepted = await this.keeper.waitFor(
      'an accepted boot',
      BRING_UP_LIMIT_MS * 3,
      () => this.obs.bootAnswers().find((b) => b.status === 'Accepted'),
      () => this.obs.summary(),
    );
    const before = this.obs.calls().filter((c) => c.at < accepted.at && c.action !== 'BootNotification');
    if (before.length) {
      throw new Error(
        `before its boot was accepted the charge point sent ${before.map((c) => `a ${c.action} at ${c.at - accepted.callAt} ms`).join(', ')}`,
      );
    }
  }

  bootRetriedNoSoonerThanInterval(): void {
    const answers = this.obs.bootAnswers();
    const failures: string[] = [];
    let checked = 0;
    for (let i = 0; i + 1 < answers.length; i++) {
      const answer = answers[i]!;
      const next = answers[i + 1]!;
      if (answer.status === 'Accepted' || next.connection !== answer.connection) continue;
      const interval = answer.intervalS * 1000;
      const window = widen(
        { min: interval, max: interval, explain: `retry interval ${answer.intervalS} s` },
        this.tolerance,
      );
      const delay = next.callAt - answer.at;
      checked++;
      const ok = delay >= window.min;
      this.recordCheck(`boot retry ${checked}`, answer.at, window, next.callAt, ok);
      if (!ok)
        failures.push(
          `the BootNotification was retried ${fmt(delay)} ms after a ${answer.status}; the interval was ${fmt(interval)} ms`,
        );
      else this.log(`✔ boot retried ${fmt(delay)} ms after ${answer.status} (interval ${fmt(interval)} ms)`);
    }
    if (checked === 0) throw new Error(`no BootNotification retry was seen (${this.obs.summary()})`);
    if (failures.length) throw new Error(failures.join('\n'));
  }

  noBootOnNewConnection(): void {
    const connection = this.newConnection();
    if (connection === undefined) throw new Error('no new connection');
    const boots = this.obs.callsOn(connection, 'BootNotification');
    if (boots.length)
      throw new Error(`the charge point sent ${boots.length} BootNotification(s) on the new connection`);
  }

  neverTwoConnectionsAtOnce(): void {
    const max = this.obs.maxConcurrentConnections();
    if (max > 1)
      throw new Error(`the CSMS saw ${max} connections from ${this.identity} open at the same time`);
  }

  noMessageIdUsedTwice(): void {
    const seen = new Map<string, RecordedCall>();
    for (const call of this.obs.calls()) {
      const earlier = seen.get(call.id);
      if (earlier !== undefined) {
        throw new Error(
          `message id ${call.id} was used by a ${earlier.action} on connection ${earlier.connection} and again by a ${call.action} on connection ${call.connection}`,
        );
      }
      seen.set(call.id, call);
    }
    if (seen.size === 0) throw new Error('no message was seen at all');
  }

  async dropsAndReconnects(times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      await this.csmsClosesConnection();
      await this.comesOnlineAgain();
    }
  }

  /** No numbered message (by id or by number) sent before the drop reaches the CSMS again after it. */
  async nothingFromBeforeTheDropAgain(): Promise<void> {
    const close = await this.keeper.waitFor('the CSMS to drop the connection', BRING_UP_LIMIT_MS, () =>
      this.obs.closes().at(-1),
    );
    const drop = { at: close.at, connection: close.connection };
    this.lastDrop = drop;
    await this.comesOnlineAgain();
    const before = this.obs.calls().filter((c) => c.connection <= drop.connection);
    const after = this.obs.calls().filter((c) => c.connection > drop.connection);
    const ids = new Set(before.map((c) => c.id));
    const numbers = new Set(before.map((c) => this.numbered.sequenceOf(c)).filter((n) => n !== undefined));
    const sentBefore = new Set(this.batches.flat());
    const action = this.numbered.action;
    const payloads = new Set(before.filter((c) => c.action === action).map((c) => canonicalJson(c.payload)));
    const repeats = after.filter((c) => {
      const seq = this.numbered.sequenceOf(c);
      return (
        ids.has(c.id) ||
        (seq !== undefined && (numbers.has(seq) || sentBefore.has(seq))) ||
        (c.action === action && payloads.has(canonicalJson(c.payload)))
      );
    });
    if (repeats.length) {
      throw new Error(
        `after the reconnect the CSMS received again: ${repeats.map((c) => `${c.action} id ${c.id} number ${this.numbered.sequenceOf(c) ?? '-'}`).join(', ')}`,
      );
    }
    const duplicates = this.csms.recorder.duplicates(this.identity);
    if (duplicates.length) throw new Error(`the CSMS recorded duplicates: ${JSON.stringify(duplicates)}`);
    this.log(
      `before the drop the CSMS received numbers ${[...numbers].join(', ') || 'none'}; none came again`,
    );
  }

  /** The latest batch arrives at the CSMS in order, each number once. */
  async latestBatchArrivesInOrder(): Promise<void> {
    const batch = this.batches[this.batches.length - 1];
    if (batch === undefined) throw new Error('no numbered messages were sent');
    const received = await this.keeper.waitFor(
      `numbered messages ${batch[0]}–${batch[batch.length - 1]} at the CSMS`,
      BRING_UP_LIMIT_MS,
      () => {
        const numbers = this.obs
          .calls(this.numbered.action)
          .map((c) => this.numbered.sequenceOf(c))
          .filter((n): n is number => n !== undefined && batch.includes(n));
        return numbers.length >= batch.length ? numbers : undefined;
      },
      () =>
        `numbers so far: ${this.obs
          .calls(this.numbered.action)
          .map((c) => this.numbered.sequenceOf(c))
          .join(', ')}`,
    );
    if (JSON.stringify(received) !== JSON.stringify(batch)) {
      throw new Error(
        `the CSMS received numbers ${received.join(', ')}; expected ${batch.join(', ')} in order, each once`,
      );
    }
  }

  /** Each numbered message reached the CSMS only after the CSMS answered the one before it. */
  async oneNumberedMessageInFlight(): Promise<void> {
    await this.latestBatchArrivesInOrder();
    const batch = this.batches[this.batches.length - 1] as number[];
    const events = this.obs.events();
    const arrivals = new Map<number, { at: number; id: string; seq: number }>();
    for (const call of this.obs.calls(this.numbered.action)) {
      const seq = this.numbered.sequenceOf(call);
      if (seq !== undefined && batch.includes(seq)) arrivals.set(seq, { at: call.at, id: call.id, seq });
    }
    const answeredAt = (id: string) =>
      events.find(
        (e) => e.kind === 'frame' && e.direction === 'out' && e.frame?.id === id && e.frame.type !== 2,
      )?.at;
    for (let i = 1; i < batch.length; i++) {
      const previous = arrivals.get(batch[i - 1] as number)!;
      const current = arrivals.get(batch[i] as number)!;
      const answer = answeredAt(previous.id);
      if (answer === undefined || current.at < answer) {
        throw new Error(
          `number ${current.seq} arrived at ${fmt(current.at - previous.at)} ms after number ${previous.seq}, before the CSMS had answered it${answer === undefined ? '' : ` (answered at ${fmt(answer - previous.at)} ms)`}`,
        );
      }
    }
  }

  async triggerAnswered(status: string): Promise<void> {
    const trigger = this.trigger;
    if (trigger === undefined) throw new Error('the CSMS sent no TriggerMessage');
    const outcome = await this.keeper.waitFor(
      'the answer to the TriggerMessage',
      BRING_UP_LIMIT_MS,
      () => trigger.outcome,
    );
    if (outcome instanceof Error)
      throw new Error(`the TriggerMessage failed: ${outcome.name}: ${outcome.message}`);
    if (outcome['status'] !== status) {
      throw new Error(
        `the charge point answered the TriggerMessage with ${JSON.stringify(outcome['status'])}, expected ${status}`,
      );
    }
  }

  async messageArrivesAfterTrigger(action: string): Promise<void> {
    const from = this.trigger?.at ?? this.clock.now();
    await this.keeper.waitFor(
      `a ${action} after the TriggerMessage`,
      BRING_UP_LIMIT_MS,
      () =>
        this.obs
          .calls(action)
          .find((c) => c.at >= from && c.connection === this.obs.latestConnection()?.index),
      () => this.obs.summary(),
    );
  }

  async noMessageFor(action: string, ms: number): Promise<void> {
    const from = this.clock.now();
    const before = this.obs.calls(action).length;
    await this.keeper.pass(ms);
    const after = this.obs.calls(action).slice(before);
    if (after.length)
      throw new Error(`a ${action} arrived ${fmt(after[0]!.at - from)} ms later; none was expected`);
  }

  async notOnlineWithoutSubprotocol(): Promise<void> {
    const refused = this.obs.events().filter((e) => e.kind === 'handshake' && e.outcome === 'no-subprotocol');
    const callsThere = this.obs.calls().filter((c) => refused.some((r) => r.connection === c.connection));
    if (refused.length === 0) throw new Error('no handshake without a common subprotocol took place');
    if (callsThere.length) {
      throw new Error(
        `the charge point sent ${callsThere.map((c) => c.action).join(', ')} on a connection without an agreed subprotocol`,
      );
    }
  }

  async chargePointDropsConnection(withinMs: number): Promise<void> {
    const from = this.clock.now();
    const connection = this.obs.latestConnection()?.index;
    const window = widen({ min: 0, max: withinMs, explain: `ping interval + pong timeout` }, this.tolerance);
    const close = await this.keeper.waitFor(
      'the charge point to drop the connection',
      window.max + 1,
      () => this.obs.closes().find((e) => e.connection === connection),
      () => this.obs.summary(),
    );
    this.verifyDelay('the charge point dropped the silent connection', from, close.at, window);
    this.lastDrop = { at: close.at, connection: close.connection };
  }

  stillOnFirstConnection(): void {
    const connections = this.obs.connections();
    const first = connections[0];
    if (connections.length !== 1 || first?.closeAt !== undefined) {
      throw new Error(`the charge point should still be on its first connection; ${this.obs.summary()}`);
    }
    const pongs = this.obs.events().filter((e) => e.kind === 'pong').length;
    if (pongs === 0) throw new Error('the CSMS received no pong at all');
    this.log(`the charge point answered ${pongs} pings`);
  }

  noFindings(): void {
    const findings = this.csms.recorder.findings(this.identity);
    if (findings.length) throw new Error(`the CSMS found: ${describeFindings(findings)}`);
  }

  async findingReported(kind: FindingKind): Promise<void> {
    this.expectFinding(kind);
    await this.keeper.waitFor(`a ${kind} finding`, BRING_UP_LIMIT_MS, () =>
      this.csms.recorder.findings(this.identity).find((f) => f.kind === kind),
    );
  }

  /* ------------------------------------------- reference-only (internals) */

  async sendWhileOffline(): Promise<void> {
    const cp = this.requireReference('sending while offline needs the charge point API');
    await this.keeper.waitFor('the charge point offline', BRING_UP_LIMIT_MS, () =>
      cp.online ? undefined : true,
    );
    const framesBefore = this.csms.stats(this.identity).framesReceived;
    const payload = messagesFor(this.version).dataTransferRequest({ vendorId: 'org.openreconnect.offline' });
    const outcome: { error?: Error; settled: boolean } = { settled: false };
    const call = cp.call('DataTransfer', payload).then(
      () => {
        outcome.settled = true;
      },
      (e: Error) => {
        outcome.error = e;
        outcome.settled = true;
      },
    );
    // "At once": settled before the event loop gets to any I/O or timer (one setImmediate turn).
    await new Promise<void>((resolve) => setImmediate(resolve));
    const atOnce = outcome.settled;
    await call;
    this.offlineSend = { error: outcome.error, atOnce };
    await this.keeper.settle();
    if (this.csms.stats(this.identity).framesReceived !== framesBefore) {
      throw new Error('a frame reached the CSMS while the charge point was offline');
    }
  }

  failedAtOnceWithConnectionClosed(): void {
    const sent = this.offlineSend;
    if (sent === undefined) throw new Error('nothing was sent while offline');
    if (!(sent.error instanceof ConnectionClosedError)) {
      throw new Error(
        `the call ${sent.error ? `failed with ${sent.error.name}` : 'succeeded'}; expected ConnectionClosedError`,
      );
    }
    if (!sent.atOnce) {
      throw new Error(
        'the call did not fail at once: it was still pending after the event loop had turned once',
      );
    }
  }

  async everyNumberedMessageSettledOnce(): Promise<void> {
    const ledger = this.ledger();
    const sent = ledger.sent();
    await this.keeper.waitFor('every numbered message settled', BRING_UP_LIMIT_MS, () =>
      ledger.allSettled(sent) ? true : undefined,
    );
    const twice = ledger.settlements(sent).filter((s) => s !== undefined && s.times !== 1);
    if (twice.length)
      throw new Error(`settled more than once: ${twice.map((s) => `#${s?.seq} ×${s?.times}`).join(', ')}`);
  }

  unansweredFailedWithConnectionClosed(): void {
    const ledger = this.ledger();
    const sent = ledger.sent();
    const answeredNumbers = new Set(
      this.obs
        .events()
        .filter((e) => e.kind === 'frame' && e.direction === 'out' && e.frame?.type === 3)
        .map((e) => (e.kind === 'frame' ? e.frame?.id : undefined)),
    );
    const answered = new Set(
      this.obs
        .calls('DataTransfer')
        .filter((c) => answeredNumbers.has(c.id))
        .map((c) => this.numbered.sequenceOf(c)),
    );
    const wrong = ledger
      .settlements(sent)
      .filter((s) => s !== undefined && !answered.has(s.seq) && s.outcome !== 'connection-closed');
    if (wrong.length) {
      throw new Error(
        `unanswered messages settled otherwise: ${wrong.map((s) => `#${s?.seq}: ${s?.detail}`).join('; ')}`,
      );
    }
    const closed = ledger.settlements(sent).filter((s) => s?.outcome === 'connection-closed').length;
    if (closed === 0) throw new Error('no numbered message failed with a connection-closed error');
    this.log(
      `${closed} of ${sent.length} numbered messages failed with ConnectionClosedError; the rest were answered`,
    );
  }

  async stopChargePoint(): Promise<void> {
    await this.sut.stop();
  }

  async noConnectionAttemptFor(ms: number): Promise<void> {
    const before = this.obs.upgrades().length;
    await this.keeper.pass(ms);
    const after = this.obs.upgrades().length;
    if (after !== before)
      throw new Error(
        `${after - before} connection attempt(s) came after the charge point was told to stop or stay away`,
      );
  }

  forceDrop(): void {
    const cp = this.requireReference('forceDrop is the reference charge point API');
    this.markDrop();
    cp.forceDrop();
  }

  async disconnectChargePoint(): Promise<void> {
    const cp = this.requireReference('disconnect is the reference charge point API');
    this.markDrop();
    await cp.disconnect();
  }

  connectChargePoint(): void {
    const cp = this.requireReference('connect is the reference charge point API');
    cp.connect();
  }

  metricsShow(expected: { attempts: number; reason: string }): void {
    const cp = this.requireReference('metrics are the reference charge point API');
    const m = cp.metrics;
    const drop = this.lastDrop;
    const online =
      drop === undefined ? undefined : this.obs.openedConnections().find((c) => c.index > drop.connection);
    const heartbeat = online === undefined ? undefined : this.obs.firstHeartbeatOn(online.index);
    this.log(`metrics: ${JSON.stringify(m)}`);
    const problems: string[] = [];
    if (m.reconnectAttempts !== expected.attempts)
      problems.push(`reconnect attempts ${m.reconnectAttempts}, expected ${expected.attempts}`);
    if (m.lastCloseReason !== expected.reason)
      problems.push(`last close reason ${m.lastCloseReason}, expected ${expected.reason}`);
    const reconnect = this.measuredIntervals()[0]?.delay;
    if (
      m.currentBackoffMs === undefined ||
      (reconnect !== undefined && Math.abs(m.currentBackoffMs - reconnect) > this.tolerance.absoluteMs)
    ) {
      problems.push(
        `current back-off ${m.currentBackoffMs} ms; the measured reconnect delay was ${reconnect} ms`,
      );
    }
    if (drop !== undefined && heartbeat !== undefined) {
      const duration = heartbeat.at - drop.at;
      if (
        m.lastReconnectDurationMs === undefined ||
        Math.abs(m.lastReconnectDurationMs - duration) > this.tolerance.absoluteMs + 1
      ) {
        problems.push(
          `last reconnect duration ${m.lastReconnectDurationMs} ms; the CSMS saw close → online take ${duration} ms`,
        );
      }
    }
    if (problems.length) throw new Error(problems.join('; '));
  }

  /* ----------------------------------------------------------------- smoke */

  checkBootNotification(options: { withoutModel: boolean }): void {
    const payload = messagesFor(this.version).bootNotificationRequest({ vendor: 'Acme', model: 'Reference' });
    if (options.withoutModel) {
      if (this.version === '1.6') delete payload['chargePointModel'];
      else delete (payload['chargingStation'] as Payload)['model'];
    }
    this.checked = {
      action: 'BootNotification',
      failure: sharedValidator().validateRequest(this.version, 'BootNotification', payload),
    };
  }

  lastCheck(): { action: string; failure: ValidationFailure | undefined } {
    if (this.checked === undefined) throw new Error('no message was checked in this scenario');
    return this.checked;
  }

  /* ------------------------------------------------------------ tear-down */

  /** Stops everything, attaches the evidence, and fails the scenario on any unexpected finding. */
  async finish(): Promise<void> {
    const errors: string[] = [];
    try {
      await this.sut.stop();
    } catch (error) {
      errors.push(`stopping the charge point failed: ${(error as Error).message}`);
    }
    await this.door?.close();
    await this.csms.close();
    if (this.started || this.obs.events().length) {
      await this.attach(
        JSON.stringify(this.csms.recorder.toJSON(this.identity), null, 2),
        'application/json',
      );
      const svg = renderTimeline(this.obs.events(), this.checks, `${this.identity} — OCPP ${this.version}`);
      await this.attach(Buffer.from(svg, 'utf8'), 'image/svg+xml');
      const output = this.sut.output();
      if (output) await this.attach(output, 'text/plain');
    }
    const unexpected = this.csms.recorder
      .findings(this.identity)
      .filter((f) => !this.expectedFindings.has(f.kind));
    if (unexpected.length) errors.push(`the CSMS found protocol violations: ${describeFindings(unexpected)}`);
    if (errors.length) throw new Error(errors.join('\n'));
  }

  /* --------------------------------------------------------------- helpers */

  private script() {
    return this.csms.script(this.identity);
  }

  /** The reference charge point's ledger of how each numbered call settled. */
  private ledger(): DataTransferNumbers {
    if (!(this.numbered instanceof DataTransferNumbers)) {
      throw new Error(
        'how calls settle inside the charge point is only known for the reference charge point',
      );
    }
    return this.numbered;
  }

  private requireReference(why: string): ChargePoint {
    const cp = this.sut.chargePoint;
    if (cp === undefined) throw new Error(`this step needs the reference charge point (${why})`);
    return cp;
  }

  /** The first connection opened after the last drop. */
  private newConnection(): number | undefined {
    const drop = this.lastDrop;
    return this.obs.openedConnections().find((c) => drop === undefined || c.index > drop.connection)?.index;
  }

  /** Delay from each close or refusal to the next connection attempt. */
  private measuredIntervals(): Array<{ from: number; delay: number }> {
    if (this.door !== undefined) return this.door.intervals();
    if (this.doorIntervals.length) return this.doorIntervals;
    const result: Array<{ from: number; delay: number }> = [];
    const connections = this.obs.connections();
    for (let i = 0; i + 1 < connections.length; i++) {
      const c = connections[i]!;
      const end = c.refusedStatus !== undefined ? (c.refusedAt ?? c.upgradeAt) : c.closeAt;
      if (end === undefined) continue;
      result.push({ from: end, delay: connections[i + 1]!.upgradeAt - end });
    }
    return result;
  }

  /** The longest `count` reconnects can take under the policy (a bound for waiting, not a verdict). */
  private worstCaseBackoffMs(count: number): number {
    let total = 0;
    let previous: number | undefined;
    for (let n = 1; n <= count; n++) {
      previous = backoffWindow(this.policy, n, previous).max;
      total += previous;
    }
    return total + slack(this.tolerance, total) + 1;
  }

  private verifyDelay(what: string, from: number, at: number, window: Window, since?: string): void {
    const delay = at - from;
    const ok = inWindow(delay, window);
    this.recordCheck(what, from, window, at, ok);
    const line = describeMeasurement(what, delay, window, since);
    this.log(`${ok ? '✔' : '✘'} ${line}`);
    if (!ok) throw new Error(line);
  }

  private recordCheck(
    label: string,
    from: number,
    window: Window,
    measured: number | undefined,
    passed: boolean,
  ): void {
    this.checks.push({ label, from, window, ...(measured === undefined ? {} : { measured }), passed });
  }
}

/** A seeded generator (mulberry32), or one that always answers the top of the range. */
function randomSource(spec: number | 'max'): () => number {
  if (spec === 'max') return () => 0.999_999;
  let state = spec >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `[${f.kind}] ${f.message}`).join('; ');
}

setWorldConstructor(ConformanceWorld);
