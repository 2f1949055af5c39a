import { backoffWindow, describeMeasurement, fmt, inWindow, slack, widen } from '../bounds';

import { BRING_UP_LIMIT_MS, Scenario } from './scenario';

/** Checks of when things happen: back-off windows, the resume delay, heartbeats, liveness. */
export class TimingChecks extends Scenario {
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

  protected async resumeFrom(connection: number, from: number, what: string): Promise<void> {
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

  neverTwoConnectionsAtOnce(): void {
    const max = this.obs.maxConcurrentConnections();
    if (max > 1)
      throw new Error(`the CSMS saw ${max} connections from ${this.identity} open at the same time`);
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

  /** Delay from each close or refusal to the next connection attempt. */
  protected measuredIntervals(): Array<{ from: number; delay: number }> {
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
  protected worstCaseBackoffMs(count: number): number {
    let total = 0;
    let previous: number | undefined;
    for (let n = 1; n <= count; n++) {
      previous = backoffWindow(this.policy, n, previous).max;
      total += previous;
    }
    return total + slack(this.tolerance, total) + 1;
  }
}
