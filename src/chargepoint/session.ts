/**
 * The OCPP session over one connection after another: bring-up (SPEC §3: BootNotification,
 * retry on Pending/Rejected/failure, heartbeats once online), the public `call()` (SPEC §4),
 * CALLs from the CSMS (SPEC §5) and malformed frames (never fatal).
 *
 * It asks the reconnect controller whether it is online and tells it about Boot Accepted; it
 * never decides online/offline itself.
 */
import type { Clock, TimerHandle } from '../clock';
import {
  type BootAnswer,
  type BootInfo,
  CALLERROR,
  CALLRESULT,
  ConnectionClosedError,
  callError,
  formatViolation,
  messagesFor,
  type OcppValidator,
  type OcppVersion,
  type ParseFailure,
  type Payload,
  parseFrame,
  replyIdFor,
  rpcFrameworkError,
  serializeFrame,
  UNREADABLE_ID,
} from '../ocpp';
import { BackoffSchedule } from './backoff';
import { CallQueue } from './call-queue';
import type { ChargePointFaults } from './faults';
import { answerCall, type TriggeredMessage } from './inbound-calls';
import type { MessageIdSource } from './message-ids';
import type { ReconnectPolicy } from './policy';

/** What the session needs from the reconnect controller. */
export interface OnlineAuthority {
  readonly online: boolean;
  bootAccepted(): void;
  resumeWithoutBoot(): void;
}

export interface SessionSignals {
  frame?(direction: 'in' | 'out', text: string): void;
  boot?(answer: BootAnswer): void;
  warning?(error: Error): void;
}

export interface SessionOptions {
  readonly version: OcppVersion;
  readonly clock: Clock;
  readonly validator: OcppValidator;
  readonly ids: MessageIdSource;
  readonly policy: ReconnectPolicy;
  readonly random: () => number;
  readonly boot: BootInfo;
  readonly callTimeoutMs: number;
  readonly queueLimit: number;
  readonly authority: OnlineAuthority;
  readonly signals?: SessionSignals;
  readonly faults?: ChargePointFaults;
}

type Registration = 'None' | 'Booting' | 'Pending' | 'Rejected' | 'Accepted';

/** A malformed or unexpected inbound frame: reported as a warning, never a close. */
export class InboundFrameWarning extends Error {
  override readonly name = 'InboundFrameWarning';
}

export class Session {
  private queue: CallQueue | undefined;
  private registration: Registration = 'None';
  private bootAcceptedEver = false;
  private connections = 0;
  private intervalS: number | undefined;
  private bootRetryTimer: TimerHandle | undefined;
  private heartbeatTimer: TimerHandle | undefined;
  private bootRetries: BackoffSchedule;
  private abandoned: string[] = [];
  private write: ((text: string) => void) | undefined;

  constructor(private readonly options: SessionOptions) {
    this.bootRetries = new BackoffSchedule(options.policy, options.random);
  }

  /** Heartbeat interval adopted from the last Boot Accepted. */
  get heartbeatIntervalS(): number | undefined {
    return this.intervalS;
  }

  /** The transport opened: a fresh queue, then BootNotification (or, without reboot, the resume delay). */
  opened(write: (text: string) => void): void {
    this.connections++;
    this.write = (text) => {
      write(text);
      this.options.signals?.frame?.('out', text);
    };
    const { clock, validator, ids, callTimeoutMs, queueLimit, version, faults } = this.options;
    this.queue = new CallQueue({
      version,
      clock,
      validator,
      ids,
      write: this.write,
      timeoutMs: callTimeoutMs,
      limit: queueLimit,
      pipeline: faults?.pipelineCalls === true,
    });
    this.registration = 'None';
    this.bootRetries = new BackoffSchedule(this.options.policy, this.options.random);
    const reconnect = this.connections > 1;
    const skipBoot =
      (this.bootAcceptedEver && !this.options.policy.rebootOnReconnect) ||
      (reconnect && faults?.noReboot === true);
    if (skipBoot) {
      this.registration = 'Accepted';
      this.options.authority.resumeWithoutBoot();
    } else {
      this.sendBoot();
    }
  }

  /** The controller went online: first Heartbeat at once, then one every interval. */
  wentOnline(): void {
    if (this.options.faults?.resendInFlight && this.abandoned.length > 0) {
      const again = this.abandoned;
      this.abandoned = [];
      for (const text of again) this.rawWrite(text);
    }
    this.startHeartbeats(true);
  }

  /** The connection closed: every call rejects ConnectionClosedError; every session timer stops. */
  closed(): void {
    this.cancelTimers();
    this.write = undefined;
    const queue = this.queue;
    this.queue = undefined;
    const left = queue?.closeAll() ?? [];
    if (this.options.faults?.resendInFlight) this.abandoned.push(...left);
    if (this.registration !== 'Accepted') this.registration = 'None';
  }

  /** The public call (SPEC §4): fails fast while not online. */
  call(action: string, payload: Payload): Promise<Payload> {
    if (!this.options.authority.online || !this.queue) {
      return Promise.reject(new ConnectionClosedError(action, `${action}: not online`));
    }
    return this.queue.send(action, payload);
  }

  /** One text frame from the CSMS. */
  received(text: string): void {
    this.options.signals?.frame?.('in', text);
    const parsed = parseFrame(text);
    if (!parsed.ok) {
      this.malformed(parsed);
      return;
    }
    const frame = parsed.frame;
    if (frame.type === CALLRESULT) {
      if (!this.queue?.handleResult(frame)) this.warn(`CALLRESULT for unknown id ${frame.id} ignored`);
      return;
    }
    if (frame.type === CALLERROR) {
      if (!this.queue?.handleError(frame)) this.warn(`CALLERROR for unknown id ${frame.id} ignored`);
      return;
    }
    const answer = answerCall(frame, {
      version: this.options.version,
      validator: this.options.validator,
      vendorId: this.options.boot.vendor,
      online: this.options.authority.online,
      bootAccepted: this.registration === 'Accepted',
    });
    this.rawWrite(serializeFrame(answer.reply));
    if (answer.followUp) this.sendTriggered(answer.followUp.message, answer.followUp.connectorId);
  }

  private malformed(failure: ParseFailure): void {
    const { version } = this.options;
    this.warn(`malformed frame (${failure.kind}): ${failure.message}`);
    if (failure.messageType === CALLRESULT || failure.messageType === CALLERROR) return; // never answer an answer
    const idReadable = failure.id !== undefined;
    if (failure.kind === 'UnknownMessageType') {
      // 2.0.1 Part 4 §4.2.3: MessageTypeNotSupported; 1.6 has no such code: ignore.
      if (version === '2.0.1') {
        this.rawWrite(
          serializeFrame(callError(replyIdFor(failure), 'MessageTypeNotSupported', failure.message)),
        );
      }
      return;
    }
    // An unreadable id: OCPP 2.0.1 answers with id "-1"; OCPP 1.6-J says nothing, so log and drop.
    if (!idReadable && version === '1.6') return;
    const code = failure.kind === 'PayloadNotObject' ? formatViolation(version) : rpcFrameworkError(version);
    const id = idReadable ? (failure.id as string) : UNREADABLE_ID;
    this.rawWrite(serializeFrame(callError(id, code, failure.message.slice(0, 255))));
  }

  private sendBoot(): void {
    const queue = this.queue;
    if (!queue) return;
    this.options.clock.clearTimeout(this.bootRetryTimer);
    this.bootRetryTimer = undefined;
    if (this.registration !== 'Accepted') this.registration = 'Booting';
    const builders = messagesFor(this.options.version);
    queue.send('BootNotification', builders.bootNotificationRequest(this.options.boot)).then(
      (payload) => {
        if (this.queue !== queue) return;
        this.bootAnswered(builders.readBootNotificationResponse(payload));
      },
      (error: Error) => {
        if (this.queue !== queue || error instanceof ConnectionClosedError) return;
        this.warn(`BootNotification failed: ${error.message}`);
        this.scheduleBoot(this.bootRetries.next());
      },
    );
    if (this.options.faults?.sendBeforeBootAccepted) {
      queue
        .send('Heartbeat', builders.heartbeatRequest(), { immediate: true })
        .catch((error: Error) => this.warn(`Heartbeat failed: ${error.message}`));
    }
  }

  private bootAnswered(answer: BootAnswer): void {
    this.options.signals?.boot?.(answer);
    if (answer.status === 'Accepted') {
      const wasAccepted = this.registration === 'Accepted';
      this.registration = 'Accepted';
      this.bootAcceptedEver = true;
      this.intervalS = answer.intervalS;
      this.bootRetries.reset();
      this.options.authority.bootAccepted();
      // A re-boot the CSMS triggered while online: adopt the new interval for the next heartbeats.
      if (wasAccepted && this.options.authority.online) this.startHeartbeats(false);
      return;
    }
    this.registration = answer.status;
    const delay = answer.intervalS > 0 ? answer.intervalS * 1000 : this.options.policy.initialBackoffMs;
    this.scheduleBoot(delay);
  }

  private scheduleBoot(delayMs: number): void {
    this.options.clock.clearTimeout(this.bootRetryTimer);
    this.bootRetryTimer = this.options.clock.setTimeout(() => {
      this.bootRetryTimer = undefined;
      this.sendBoot();
    }, delayMs);
  }

  private startHeartbeats(now: boolean): void {
    this.options.clock.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    const beat = () => {
      this.scheduleHeartbeat(beat);
      this.sendInternal('Heartbeat', messagesFor(this.options.version).heartbeatRequest());
    };
    if (now) beat();
    else this.scheduleHeartbeat(beat);
  }

  private scheduleHeartbeat(beat: () => void): void {
    const interval = this.intervalS;
    if (interval === undefined || interval <= 0) return;
    this.heartbeatTimer = this.options.clock.setTimeout(() => {
      this.heartbeatTimer = undefined;
      if (this.options.authority.online) beat();
    }, interval * 1000);
  }

  private sendTriggered(message: TriggeredMessage, connectorId: number | undefined): void {
    const builders = messagesFor(this.options.version);
    switch (message) {
      case 'BootNotification':
        this.sendBoot();
        return;
      case 'Heartbeat':
        this.sendInternal('Heartbeat', builders.heartbeatRequest());
        return;
      case 'StatusNotification':
        this.sendInternal(
          'StatusNotification',
          builders.statusNotificationRequest({
            connectorId: connectorId ?? 1,
            status: 'Available',
            timestamp: new Date(this.options.clock.now()),
          }),
        );
        return;
    }
  }

  private sendInternal(action: string, payload: Payload): void {
    const queue = this.queue;
    if (!queue) return;
    queue.send(action, payload).catch((error: Error) => {
      if (!(error instanceof ConnectionClosedError)) this.warn(`${action} failed: ${error.message}`);
    });
  }

  private rawWrite(text: string): void {
    try {
      this.write?.(text);
    } catch (error) {
      this.warn(`could not write: ${(error as Error).message}`);
    }
  }

  private cancelTimers(): void {
    this.options.clock.clearTimeout(this.bootRetryTimer);
    this.options.clock.clearTimeout(this.heartbeatTimer);
    this.bootRetryTimer = undefined;
    this.heartbeatTimer = undefined;
  }

  private warn(message: string): void {
    this.options.signals?.warning?.(new InboundFrameWarning(message));
  }
}
