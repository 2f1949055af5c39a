import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { Clock, TimerHandle } from '../clock';
import {
  CallErrorResponse,
  CallTimeoutError,
  ConnectionClosedError,
  formatIssues,
  formatViolation,
  isErrorCode,
  rpcFrameworkError,
  ValidationError,
} from '../ocpp/errors';
import {
  CALL,
  CALLRESULT,
  type Call,
  type CallError,
  type CallResult,
  call,
  callError,
  callResult,
  type Frame,
  type ParseFailure,
  type Payload,
  parseFrame,
  replyIdFor,
  serializeFrame,
} from '../ocpp/frames';
import { messagesFor } from '../ocpp/messages';
import { sharedValidator, type ValidationFailure } from '../ocpp/validator';
import type { OcppVersion } from '../ocpp/version';
import { defaultAnswer, invalidAnswer } from './answers';
import type { FindingDraft } from './findings';
import type { CloseOptions, IdentityScript, LiveConnection } from './identity-script';
import type { IdentityState } from './identity-state';
import { Pinger } from './pinger';
import type { Recorder } from './recorder';

/** Longest frame text kept as a finding's evidence. */
const EVIDENCE_TEXT_LIMIT = 2000;

export interface ConnectionSettings {
  readonly identity: string;
  readonly index: number;
  readonly version: OcppVersion;
  readonly ws: WebSocket;
  readonly clock: Clock;
  readonly recorder: Recorder;
  readonly script: IdentityScript;
  readonly state: IdentityState;
  /** Slack for "boot retried too soon" (ms). */
  readonly timingToleranceMs: number;
  /** After this long an unanswered charge point CALL counts as timed out at the charge point. */
  readonly chargePointCallTimeoutMs: number;
  readonly onClosed: (connection: CsmsConnection) => void;
}

interface PendingCall {
  readonly action: string;
  readonly timer: TimerHandle;
  readonly trigger: string | undefined;
  resolve(payload: Payload): void;
  reject(error: Error): void;
}

interface CloseIntent {
  readonly code: number;
  readonly reason: string;
}

/**
 * One open WebSocket of one identity, seen from the CSMS: parses and validates every frame both
 * ways, answers the charge point's CALLs as the script says, records findings, and carries the
 * CSMS's own CALLs. Every timer is on the injected clock and dies with the connection.
 */
export class CsmsConnection implements LiveConnection {
  readonly identity: string;
  readonly index: number;
  readonly version: OcppVersion;
  readonly openAt: number;
  private readonly ws: WebSocket;
  private readonly clock: Clock;
  private readonly timers = new Set<TimerHandle>();
  /** CSMS CALLs waiting for their answer. */
  private readonly pending = new Map<string, PendingCall>();
  /** CSMS CALLs that timed out: a late answer to them is not a finding. */
  private readonly timedOut = new Set<string>();
  /** Charge point CALLs this CSMS will answer but has not yet. */
  private readonly unanswered = new Map<string, { action: string; at: number }>();
  private readonly pinger: Pinger;
  private intent: CloseIntent | undefined;
  private unflushed = 0;
  private ended = false;
  private readonly closed: Promise<void>;
  private markClosed!: () => void;

  constructor(private readonly settings: ConnectionSettings) {
    this.identity = settings.identity;
    this.index = settings.index;
    this.version = settings.version;
    this.ws = settings.ws;
    this.clock = settings.clock;
    this.openAt = this.clock.now();
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
    this.pinger = new Pinger(
      this.clock,
      () => this.ping(),
      () => this.endWith({ code: 1006, reason: 'pong timeout' }, true),
    );
    this.ws.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary));
    this.ws.on('ping', (data: Buffer) => {
      if (this.settings.script.pongs && this.ws.readyState === WebSocket.OPEN) this.ws.pong(data);
    });
    this.ws.on('pong', () => {
      this.record({ kind: 'pong' });
      this.pinger.pong();
    });
    this.ws.on('error', (error: Error & { code?: string }) => this.onError(error));
    this.ws.on('close', (code: number, reason: Buffer) => this.onClose(code, reason.toString('utf8')));
  }

  get isOpen(): boolean {
    return !this.ended && this.ws.readyState === WebSocket.OPEN;
  }

  /** Bytes written but not flushed, or a close under way. */
  ioPending(): boolean {
    return this.unflushed > 0 || this.ws.readyState === WebSocket.CLOSING;
  }

  /* ----------------------------------------------------------- control */

  close(code: number, reason: string): Promise<void> {
    if (!this.ended && this.intent === undefined && this.ws.readyState === WebSocket.OPEN) {
      this.ws.close(code, reason); // throws on an invalid code: a bug in the scenario
      this.intent = { code, reason };
    }
    return this.closed;
  }

  terminate(reason: string): Promise<void> {
    this.endWith({ code: 1006, reason }, true);
    return this.closed;
  }

  closeAt(at: number, options: CloseOptions): void {
    this.later(Math.max(0, at - this.clock.now()), () => {
      void this.closeWith(options, 'scripted close');
    });
  }

  syncPings(): void {
    const pings = this.settings.script.pings;
    if (pings !== undefined && this.isOpen) this.pinger.start(pings.intervalMs, pings.pongTimeoutMs);
    else this.pinger.stop();
  }

  /** Force-closes a connection whose peer never finished the close handshake. */
  forceEnd(): void {
    if (!this.ended) this.ws.terminate();
  }

  whenClosed(): Promise<void> {
    return this.closed;
  }

  sendCall(action: string, payload: Payload, timeoutMs: number): Promise<Payload> {
    if (!this.isOpen) return Promise.reject(new ConnectionClosedError(action));
    const failure = sharedValidator().validateRequest(this.version, action, payload);
    if (failure !== undefined) return Promise.reject(validationError(failure, 'request'));
    const id = randomUUID();
    const trigger = action === 'TriggerMessage' ? this.requestedMessage(payload) : undefined;
    if (trigger !== undefined) this.settings.state.allowTriggered(trigger);
    return new Promise<Payload>((resolve, reject) => {
      const timer = this.later(timeoutMs, () => {
        this.pending.delete(id);
        this.timedOut.add(id);
        reject(new CallTimeoutError(action, id, timeoutMs));
      });
      this.pending.set(id, { action, timer, trigger, resolve, reject });
      this.send(call(id, action, payload));
    });
  }

  /* ----------------------------------------------------------- inbound */

  private onMessage(data: Buffer, isBinary: boolean): void {
    this.settings.state.framesReceived += 1;
    if (isBinary) {
      this.record({ kind: 'frame', direction: 'in', text: `<binary frame, ${data.length} bytes>` });
      this.finding({
        kind: 'binary-frame',
        message: `a binary frame of ${data.length} bytes: OCPP-J uses text frames only (ignored)`,
        evidence: { bytes: data.length, head: data.subarray(0, 64).toString('hex') },
      });
      return;
    }
    const text = data.toString('utf8');
    const parsed = parseFrame(text);
    if (!parsed.ok) {
      this.record({ kind: 'frame', direction: 'in', text });
      this.onUnparsable(parsed, text);
      return;
    }
    const frame = parsed.frame;
    this.record({ kind: 'frame', direction: 'in', text, frame });
    if (frame.type === CALL) this.onCall(frame);
    else this.onAnswer(frame);
  }

  private onUnparsable(failure: ParseFailure, text: string): void {
    const evidence = { failure: failure.kind, detail: failure.message, text: truncate(text) };
    if (failure.kind === 'UnknownMessageType' && failure.messageType !== undefined) {
      const answered = this.version === '2.0.1';
      this.finding({
        kind: 'unknown-message-type',
        message: `message type ${failure.messageType} is not an OCPP-J message type${answered ? '' : ' (ignored)'}`,
        evidence,
      });
      if (answered && this.isOpen) {
        this.send(callError(replyIdFor(failure), 'MessageTypeNotSupported', failure.message));
      }
      return;
    }
    this.finding({ kind: 'malformed-frame', message: `not an OCPP-J message: ${failure.message}`, evidence });
    // Never answer an answer (a broken CALLRESULT/CALLERROR); everything else gets a CALLERROR.
    if (failure.messageType === CALLRESULT || failure.messageType === 4 || !this.isOpen) return;
    const code =
      failure.kind === 'PayloadNotObject' ? formatViolation(this.version) : rpcFrameworkError(this.version);
    this.send(callError(replyIdFor(failure), code, failure.message));
  }

  private onCall(frame: Call): void {
    if (!this.isOpen) return; // arrived while the CSMS is closing: recorded, not answered
    const { id, action, payload } = frame;
    const { state, script } = this.settings;
    const now = this.clock.now();
    const firstUse = state.callIds.get(id);
    if (firstUse !== undefined) {
      this.finding({
        kind: 'message-id-reused',
        message: `message id ${JSON.stringify(id)} (${action}) was already used on connection ${firstUse}`,
        evidence: { id, action, firstConnection: firstUse, payload },
      });
    } else state.callIds.set(id, this.index);
    for (const [otherId, other] of this.unanswered) {
      if (now - other.at < this.settings.chargePointCallTimeoutMs) {
        this.finding({
          kind: 'concurrent-call',
          message: `${action} (${id}) sent while ${other.action} (${otherId}) is unanswered`,
          evidence: {
            id,
            action,
            unansweredId: otherId,
            unansweredAction: other.action,
            unansweredSince: other.at,
          },
        });
        break;
      }
    }
    const closeOptions = script.countCall(action);
    if (closeOptions !== undefined) {
      void this.closeWith(closeOptions, `scripted close on ${action}`);
      return;
    }
    const failure = sharedValidator().validateRequest(this.version, action, payload);
    if (failure?.kind === 'unknown-action') {
      this.finding({ kind: 'unknown-action', message: failure.message, evidence: { id, action, payload } });
      this.send(callError(id, 'NotImplemented', failure.message));
      return;
    }
    if (failure?.kind === 'invalid') {
      this.finding({
        kind: 'schema-violation',
        message: `${action} request invalid: ${formatIssues(failure.errors)}`,
        evidence: { id, action, errors: failure.errors, payload },
      });
      this.send(callError(id, failure.code, formatIssues(failure.errors)));
      return;
    }
    const triggered = state.consumeTriggered(action);
    if (action !== 'BootNotification' && state.registration !== 'Accepted' && !triggered) {
      this.finding({
        kind: 'call-before-boot-accepted',
        message: `${action} sent while the boot is ${state.registration === 'none' ? 'not answered' : state.registration}`,
        evidence: { id, action, registration: state.registration },
      });
      this.send(callError(id, 'SecurityError', 'the charge point is not registered (boot not accepted)'));
      return;
    }
    if (action === 'BootNotification' && !triggered) this.checkBootRetry(id, now);
    this.answerLater(frame);
  }

  private checkBootRetry(id: string, now: number): void {
    const hold = this.settings.state.lastHoldingBoot;
    if (hold === undefined || hold.connection !== this.index) return;
    const earliest = hold.at + hold.intervalS * 1000;
    if (now >= earliest - this.settings.timingToleranceMs) return;
    this.finding({
      kind: 'boot-retry-too-soon',
      message: `BootNotification retried ${now - hold.at} ms after an answer with interval ${hold.intervalS} s`,
      evidence: {
        id,
        answeredAt: hold.at,
        intervalS: hold.intervalS,
        retriedAt: now,
        earlyByMs: earliest - now,
      },
    });
  }

  private onAnswer(frame: CallResult | CallError): void {
    const pending = this.pending.get(frame.id);
    if (pending === undefined) {
      if (this.timedOut.delete(frame.id)) return; // a late answer to a timed-out CALL
      this.finding({
        kind: 'unknown-call-id',
        message: `${frame.type === CALLRESULT ? 'CALLRESULT' : 'CALLERROR'} for ${JSON.stringify(frame.id)}, which the CSMS never sent (or already had answered)`,
        evidence: { id: frame.id, frame },
      });
      return;
    }
    this.pending.delete(frame.id);
    this.clock.clearTimeout(pending.timer);
    this.timers.delete(pending.timer);
    if (frame.type === CALLRESULT) {
      const failure = sharedValidator().validateResponse(this.version, pending.action, frame.payload);
      if (failure !== undefined) {
        this.revokeTrigger(pending);
        this.finding({
          kind: 'invalid-response',
          message: `${pending.action} response invalid: ${failure.kind === 'invalid' ? formatIssues(failure.errors) : failure.message}`,
          evidence: {
            id: frame.id,
            action: pending.action,
            errors: failure.kind === 'invalid' ? failure.errors : [],
            payload: frame.payload,
          },
        });
        pending.reject(validationError(failure, 'response'));
        return;
      }
      if (pending.trigger !== undefined && frame.payload['status'] !== 'Accepted')
        this.revokeTrigger(pending);
      pending.resolve(frame.payload);
      return;
    }
    this.revokeTrigger(pending);
    if (!isErrorCode(this.version, frame.code)) {
      this.finding({
        kind: 'invalid-response',
        message: `CALLERROR code ${JSON.stringify(frame.code)} is not an OCPP ${this.version} error code`,
        evidence: { id: frame.id, action: pending.action, code: frame.code },
      });
    }
    pending.reject(new CallErrorResponse(pending.action, frame.code, frame.description, frame.details));
  }

  private revokeTrigger(pending: PendingCall): void {
    if (pending.trigger !== undefined) this.settings.state.revokeTriggered(pending.trigger);
  }

  /* ---------------------------------------------------------- answering */

  private answerLater(frame: Call): void {
    const { script } = this.settings;
    if (script.isWithheld(frame.action)) return; // the charge point has to time out
    this.unanswered.set(frame.id, { action: frame.action, at: this.clock.now() });
    const respond = () => {
      this.unanswered.delete(frame.id);
      if (this.isOpen) this.answer(frame);
    };
    const delay = script.delayFor(frame.action);
    if (delay > 0) this.later(delay, respond);
    else respond();
  }

  private answer(frame: Call): void {
    const { script, state } = this.settings;
    const now = this.clock.now();
    let payload: Payload | undefined;
    let boot: { status: 'Accepted' | 'Pending' | 'Rejected'; intervalS: number } | undefined;
    if (frame.action === 'BootNotification') {
      boot = script.nextBootAnswer();
      payload = messagesFor(this.version).bootNotificationResponse(boot, new Date(now));
    } else {
      const answer = defaultAnswer(this.version, frame.action, {
        now: new Date(now),
        nextTransactionId: () => state.nextTransactionId(),
      });
      if (answer.kind === 'result') payload = answer.payload;
    }
    if (script.takeInvalid(frame.action)) {
      const invalid = invalidAnswer(this.version, frame.action, payload);
      this.send(callResult(frame.id, invalid), { action: frame.action, deliberateInvalid: true });
      return;
    }
    if (payload === undefined) {
      this.send(callError(frame.id, 'NotImplemented', `${frame.action} is not emulated by the test CSMS`));
      return;
    }
    if (boot !== undefined) {
      state.registration = boot.status;
      state.lastHoldingBoot =
        boot.status === 'Accepted'
          ? undefined
          : { connection: this.index, at: now, intervalS: boot.intervalS };
    }
    this.send(callResult(frame.id, payload), { action: frame.action });
  }

  /**
   * Validates and writes one frame. An invalid frame (other than a deliberate stimulus) is a
   * bug in the CSMS or the scenario: it throws and nothing is written.
   */
  private send(frame: Frame, options: { action?: string; deliberateInvalid?: boolean } = {}): void {
    if (!options.deliberateInvalid) this.check(frame, options.action);
    if (!this.isOpen) return;
    const text = serializeFrame(frame);
    this.record({
      kind: 'frame',
      direction: 'out',
      text,
      frame,
      ...(options.deliberateInvalid ? { deliberateInvalid: true } : {}),
    });
    this.settings.state.framesSent += 1;
    this.unflushed += 1;
    this.ws.send(text, () => {
      this.unflushed -= 1;
    });
  }

  private check(frame: Frame, action: string | undefined): void {
    const validator = sharedValidator();
    if (frame.type === CALL) {
      const failure = validator.validateRequest(this.version, frame.action, frame.payload);
      if (failure !== undefined) throw validationError(failure, 'request');
    } else if (frame.type === CALLRESULT) {
      if (action === undefined) throw new Error(`CALLRESULT ${frame.id} sent without its action`);
      const failure = validator.validateResponse(this.version, action, frame.payload);
      if (failure !== undefined) throw validationError(failure, 'response');
    } else if (!isErrorCode(this.version, frame.code)) {
      throw new Error(`${frame.code} is not an OCPP ${this.version} error code`);
    }
  }

  private ping(): void {
    if (!this.isOpen) return;
    this.record({ kind: 'ping' });
    this.unflushed += 1;
    this.ws.ping(undefined, undefined, () => {
      this.unflushed -= 1;
    });
  }

  /* -------------------------------------------------------------- ending */

  private closeWith(options: CloseOptions, reason: string): Promise<void> {
    return options.terminate ? this.terminate(reason) : this.close(options.code ?? 1000, reason);
  }

  private endWith(intent: CloseIntent, terminate: boolean): void {
    if (this.ended) return;
    this.intent ??= intent;
    if (terminate) this.ws.terminate();
  }

  private onError(error: Error & { code?: string }): void {
    if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      this.intent ??= { code: 1009, reason: 'message too big' };
      this.finding({
        kind: 'message-too-big',
        message: `frame larger than the CSMS's maxPayload: closed with 1009`,
        evidence: { error: error.message },
      });
      return;
    }
    const code = error.code === 'WS_ERR_INVALID_UTF8' ? 1007 : 1002;
    this.intent ??= { code, reason: error.message };
    this.finding({
      kind: 'malformed-frame',
      message: `WebSocket protocol error: ${error.message} (closed with ${code})`,
      evidence: { error: error.message, errorCode: error.code },
    });
  }

  private onClose(code: number, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.pinger.stop();
    for (const timer of this.timers) this.clock.clearTimeout(timer);
    this.timers.clear();
    this.unanswered.clear();
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.reject(new ConnectionClosedError(pending.action));
    }
    const intent = this.intent;
    this.record(
      intent === undefined
        ? { kind: 'close', code, reason, by: 'cp' }
        : { kind: 'close', code: intent.code, reason: intent.reason, by: 'csms' },
    );
    this.settings.onClosed(this);
    this.markClosed();
  }

  /* ------------------------------------------------------------- helpers */

  private later(ms: number, run: () => void): TimerHandle {
    const handle = this.clock.setTimeout(() => {
      this.timers.delete(handle);
      run();
    }, ms);
    this.timers.add(handle);
    return handle;
  }

  private requestedMessage(payload: Payload): string | undefined {
    const message = messagesFor(this.version).readTriggerMessageRequest(payload).message;
    return typeof message === 'string' ? message : undefined;
  }

  private record(body: Parameters<Recorder['record']>[2]): void {
    this.settings.recorder.record(this.identity, this.index, body);
  }

  private finding(draft: FindingDraft): void {
    this.settings.recorder.recordFinding(this.identity, this.index, draft);
  }
}

function validationError(failure: ValidationFailure, direction: 'request' | 'response'): ValidationError {
  if (failure.kind === 'invalid')
    return new ValidationError(failure.action, direction, failure.errors, failure.code);
  return new ValidationError(
    failure.action,
    direction,
    [{ path: '', rule: 'action', message: failure.message, schemaPath: '' }],
    'NotImplemented',
  );
}

function truncate(text: string): string {
  return text.length > EVIDENCE_TEXT_LIMIT
    ? `${text.slice(0, EVIDENCE_TEXT_LIMIT)}… (${text.length} chars)`
    : text;
}
