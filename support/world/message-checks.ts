import type { FindingKind, RecordedCall } from '../../src/csms';
import { fmt, widen } from '../bounds';

import { BRING_UP_LIMIT_MS, describeFindings } from './scenario';
import { TimingChecks } from './timing-checks';

/** Checks of what is sent: boot first, nothing twice, one at a time, on request, and the CSMS's findings. */
export class MessageChecks extends TimingChecks {
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
    // The recorder knows every id and payload that crossed the wire twice; what it cannot know is a
    // numbered message that was only queued before the drop (never on the wire) and sent after it.
    const duplicates = this.csms.recorder.duplicates(this.identity);
    if (duplicates.length) {
      throw new Error(
        `after the reconnect the CSMS received again: ${duplicates
          .map(
            (d) =>
              `${d.second.action} ${d.sameId ? `id ${d.second.id}` : 'with the same payload'} (first on connection ${d.first.connection})`,
          )
          .join(', ')}`,
      );
    }
    const sentBefore = new Set(this.batches.flat());
    const numbers = this.obs
      .calls()
      .filter((c) => c.connection <= drop.connection)
      .map((c) => this.numbered.sequenceOf(c))
      .filter((n) => n !== undefined);
    const repeats = this.obs
      .calls()
      .filter((c) => c.connection > drop.connection)
      .filter((c) => sentBefore.has(this.numbered.sequenceOf(c) ?? Number.NaN));
    if (repeats.length) {
      throw new Error(
        `after the reconnect the CSMS received numbers sent before the drop: ${repeats.map((c) => `${c.action} id ${c.id} number ${this.numbered.sequenceOf(c)}`).join(', ')}`,
      );
    }
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
}
