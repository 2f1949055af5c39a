import { type IWorldOptions, World } from '@cucumber/cucumber';
import type { ChargePoint, ChargePointFaults } from '../../src/chargepoint';
import { DEFAULT_POLICY, type ReconnectPolicy } from '../../src/chargepoint/policy';
import { type Clock, systemClock, VirtualClock } from '../../src/clock';
import { type Finding, type FindingKind, type RecordedCall, TestCsms } from '../../src/csms';
import type { Payload } from '../../src/ocpp/frames';
import { messagesFor, type TriggerableMessage } from '../../src/ocpp/messages';
import type { ValidationFailure } from '../../src/ocpp/validator';
import { isOcppVersion, type OcppVersion } from '../../src/ocpp/version';
import { describeMeasurement, EXACT, inWindow, REAL_TIME, type Tolerance, type Window } from '../bounds';
import { DataTransferNumbers, type NumberedMessages, TriggeredStatusNumbers } from '../numbered-messages';
import { Observations } from '../observations';
import { policyFromTable } from '../policy-table';
import { renderTimeline, type TimelineCheck } from '../report/timeline';
import type { SutAdapter } from '../sut/adapter';
import { ExternalSut } from '../sut/external';
import { ReferenceSut } from '../sut/reference';
import { loadSutFile, type SutFile } from '../sut/sut-file';
import { TimeKeeper } from '../time-keeper';
import { UnreachableDoor } from '../unreachable-door';

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
export const BRING_UP_LIMIT_MS = 10_000;

let scenarioCounter = 0;

/**
 * The state of one scenario: the charge point under test, the test CSMS, the clock, the policy
 * in force and the evidence gathered, with the set-up, life-cycle and stimuli the steps call.
 * The checks build on it: timing-checks.ts, message-checks.ts, then ../world.ts (reference-only).
 * Steps call these methods and hold no logic of their own.
 */
export class Scenario extends World<WorldParameters> {
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
  protected readonly checks: TimelineCheck[] = [];
  protected readonly expectedFindings = new Set<FindingKind>();
  protected heartbeatIntervalS = 60;
  protected pings: { intervalMs: number; pongTimeoutMs: number } | undefined;
  protected started = false;
  /** Where the charge point connects; stays the same while the CSMS is made unreachable. */
  protected url = '';
  protected door: UnreachableDoor | undefined;
  /** The attempts the unreachable stand-in saw, kept once the CSMS is back. */
  protected doorIntervals: Array<{ from: number; delay: number }> = [];
  /** The close the latest "connects again" expectation is measured from. */
  protected lastDrop: { at: number; connection: number } | undefined;
  protected trigger: { outcome: Payload | Error | undefined; at: number } | undefined;
  protected offlineSend: { error: Error | undefined; atOnce: boolean } | undefined;
  protected batches: number[][] = [];
  protected checked: { action: string; failure: ValidationFailure | undefined } | undefined;

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
      failure: () => this.sut.failure(),
      subscribe: (listener) => {
        this.csms.recorder.on('event', listener);
        return () => this.csms.recorder.off('event', listener);
      },
    });
  }

  async prepare(): Promise<void> {
    const port = this.sutFile?.command === null ? this.sutFile.csmsPort : 0;
    await this.csms.listen({ host: '127.0.0.1', port: port ?? 0 });
    this.log(
      `charge point under test: ${this.sut.name}; ${this.keeper.virtual ? 'virtual' : 'system'} clock`,
    );
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

  csmsAnswersInvalid(action: string): void {
    this.script().answerInvalid(action, 1);
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
  protected async awaitFirstAttempt(sut: ExternalSut): Promise<void> {
    const limit = this.sutFile?.startupTimeoutMs ?? 15_000;
    await this.keeper.waitFor(
      `${sut.name} to connect`,
      limit,
      () => (this.obs.upgrades().length > 0 || (this.door?.attemptCount() ?? 0) > 0 ? true : undefined),
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

  protected async awaitOnline(withinMs: number, after = -Infinity): Promise<RecordedCall> {
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

  async csmsClosesConnection(): Promise<void> {
    this.markDrop();
    await this.script().closeNow(1000, 'closed by the test CSMS');
  }

  async connectionIsCut(): Promise<void> {
    this.markDrop();
    await this.script().terminateNow();
  }

  protected markDrop(): void {
    const connection = this.obs.latestConnection();
    if (connection?.openAt === undefined || connection.closeAt !== undefined) {
      throw new Error(`the charge point has no open connection to drop (${this.obs.summary()})`);
    }
    this.lastDrop = { at: this.clock.now(), connection: connection.index };
  }

  csmsStopsAnsweringPings(): void {
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

  protected script() {
    return this.csms.script(this.identity);
  }

  protected requireReference(why: string): ChargePoint {
    const cp = this.sut.chargePoint;
    if (cp === undefined) throw new Error(`this step needs the reference charge point (${why})`);
    return cp;
  }

  /** The first connection opened after the last drop. */
  protected newConnection(): number | undefined {
    const drop = this.lastDrop;
    return this.obs.openedConnections().find((c) => drop === undefined || c.index > drop.connection)?.index;
  }

  protected verifyDelay(what: string, from: number, at: number, window: Window, since?: string): void {
    const delay = at - from;
    const ok = inWindow(delay, window);
    this.recordCheck(what, from, window, at, ok);
    const line = describeMeasurement(what, delay, window, since);
    this.log(`${ok ? '✔' : '✘'} ${line}`);
    if (!ok) throw new Error(line);
  }

  protected recordCheck(
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
export function randomSource(spec: number | 'max'): () => number {
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

export function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `[${f.kind}] ${f.message}`).join('; ');
}
