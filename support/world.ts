import { setWorldConstructor } from '@cucumber/cucumber';
import { ConnectionClosedError } from '../src/ocpp/errors';
import type { Payload } from '../src/ocpp/frames';
import { messagesFor } from '../src/ocpp/messages';
import { sharedValidator, type ValidationFailure } from '../src/ocpp/validator';
import { DataTransferNumbers } from './numbered-messages';
import { MessageChecks } from './world/message-checks';
import { BRING_UP_LIMIT_MS } from './world/scenario';

export type { WorldParameters } from './world/scenario';

/**
 * The World of one scenario (see world/scenario.ts), with the checks that need the reference
 * charge point's insides (`@reference-only`) and the schema smoke checks.
 */
export class ConformanceWorld extends MessageChecks {
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

  private lastCheck(): ValidationFailure | undefined {
    if (this.checked === undefined) throw new Error('no message was checked in this scenario');
    return this.checked.failure;
  }

  /** The checked message was rejected, and one of the reasons is that `field` (a JSON path) is missing. */
  rejectedForMissing(field: string): void {
    const failure = this.lastCheck();
    if (failure?.kind !== 'invalid')
      throw new Error(`the message was not rejected (${failure?.kind ?? 'it is valid'})`);
    const issues = failure.errors.map((e) => `${e.path} ${e.rule}`);
    this.log(`schema violations: ${issues.join('; ')}`);
    if (!issues.includes(`/${field} required`)) {
      throw new Error(`the missing field "${field}" is not among the violations: ${issues.join('; ')}`);
    }
  }

  /** The OCPP-J error code a CALLERROR answering the checked message would carry. */
  answeredWith(code: string): void {
    const failure = this.lastCheck();
    const actual = failure?.kind === 'invalid' ? failure.code : 'no error';
    if (actual !== code) throw new Error(`the answer would be ${actual}, expected ${code}`);
  }

  accepted(): void {
    const failure = this.lastCheck();
    if (failure !== undefined) throw new Error(`the message was rejected: ${JSON.stringify(failure)}`);
  }

  /** The reference charge point's ledger of how each numbered call settled. */
  protected ledger(): DataTransferNumbers {
    if (!(this.numbered instanceof DataTransferNumbers)) {
      throw new Error(
        'how calls settle inside the charge point is only known for the reference charge point',
      );
    }
    return this.numbered;
  }
}

setWorldConstructor(ConformanceWorld);
