import { ConnectionClosedError } from '../ocpp/errors';
import type { Payload } from '../ocpp/frames';
import { messagesFor, type RegistrationStatus } from '../ocpp/messages';
import { sharedValidator } from '../ocpp/validator';
import { OCPP_VERSIONS, type OcppVersion } from '../ocpp/version';

export interface BootAnswerSpec {
  status: RegistrationStatus;
  intervalS: number;
}

export interface CloseOptions {
  code?: number;
  terminate?: boolean;
}

/** What the script needs from the live connection of its identity. */
export interface LiveConnection {
  readonly openAt: number;
  close(code: number, reason: string): Promise<void>;
  terminate(reason: string): Promise<void>;
  closeAt(at: number, options: CloseOptions): void;
  sendCall(action: string, payload: Payload, timeoutMs: number): Promise<Payload>;
  syncPings(): void;
}

export interface ScriptHost {
  /** The identity's newest open connection. */
  current(): LiveConnection | undefined;
  readonly defaultBoot: BootAnswerSpec;
  readonly defaultCallTimeoutMs: number;
}

interface CountedClose {
  left: number;
  code: number;
}

/**
 * The behaviour of the test CSMS towards one identity. Steps and tests call it; the connection
 * reads it. It persists across the identity's connections; {@link reset} restores the defaults.
 */
export class IdentityScript {
  private bootSequence: BootAnswerSpec[] = [];
  private bootsAnswered = 0;
  /** @internal */ closeAfterHandshakeRule: CountedClose | undefined;
  /** @internal */ refuseRule: { left: number; status: number } | undefined;
  /** @internal */ noSubprotocolLeft = 0;
  /** @internal */ closeOnMessageRule:
    | { n: number; seen: number; action?: string; options: CloseOptions }
    | undefined;
  /** @internal */ closeAfterRule: { ms: number; options: CloseOptions } | undefined;
  private readonly delays = new Map<string, number>();
  private readonly withheld = new Set<string>();
  private readonly invalid = new Map<string, number>();
  /** @internal */ pongs = true;
  /** @internal */ pings: { intervalMs: number; pongTimeoutMs: number } | undefined;
  /** @internal */ versions: OcppVersion[] | undefined;

  constructor(
    readonly identity: string,
    private readonly host: ScriptHost,
  ) {}

  /** For the following BootNotifications (replaces any sequence). Throws when the answer would be schema-invalid. */
  bootAnswer(status: RegistrationStatus, intervalS: number): this {
    return this.bootAnswers([{ status, intervalS }]);
  }

  /** One answer per BootNotification, in order; the last one repeats. */
  bootAnswers(sequence: BootAnswerSpec[]): this {
    if (sequence.length === 0) throw new RangeError('bootAnswers needs at least one answer');
    for (const answer of sequence) checkBootAnswer(answer);
    this.bootSequence = sequence.map((a) => ({ ...a }));
    this.bootsAnswered = 0;
    return this;
  }

  /** The next N connections are closed (default code 1000) right after they open. */
  closeAfterHandshake(connections: number, code = 1000): this {
    this.closeAfterHandshakeRule = connections > 0 ? { left: connections, code } : undefined;
    return this;
  }

  /** The next N upgrade requests are answered with this HTTP status. */
  refuseUpgrade(attempts: number, httpStatus: number): this {
    if (!Number.isInteger(httpStatus) || httpStatus < 300 || httpStatus > 599) {
      throw new RangeError(`refuseUpgrade: ${httpStatus} is not an HTTP error status`);
    }
    this.refuseRule = attempts > 0 ? { left: attempts, status: httpStatus } : undefined;
    return this;
  }

  /** The next N handshakes complete without Sec-WebSocket-Protocol, then the CSMS closes at once. */
  acceptNoSubprotocol(attempts: number): this {
    this.noSubprotocolLeft = Math.max(0, attempts);
    return this;
  }

  /**
   * On the Nth CALL received from now (of that action when given), on whichever connection is
   * open, close before answering it. Once.
   */
  closeOnMessage(n: number, options: { action?: string; code?: number; terminate?: boolean } = {}): this {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`closeOnMessage: ${n} is not a positive integer`);
    const { action, ...close } = options;
    this.closeOnMessageRule = { n, seen: 0, ...(action === undefined ? {} : { action }), options: close };
    return this;
  }

  /** Close the open connection `ms` after its open (or the next one, if none is open). Once. */
  closeAfter(ms: number, options: CloseOptions = {}): this {
    const live = this.host.current();
    if (live !== undefined) {
      live.closeAt(live.openAt + ms, options);
      this.closeAfterRule = undefined;
    } else {
      this.closeAfterRule = { ms, options };
    }
    return this;
  }

  /** Close handshake with the code; resolves when the socket is closed (at once when none is open). */
  async closeNow(code = 1000, reason = ''): Promise<void> {
    await this.host.current()?.close(code, reason);
  }

  /** Destroys the TCP connection without a close frame; resolves when closed. */
  async terminateNow(): Promise<void> {
    await this.host.current()?.terminate('terminated by the test CSMS');
  }

  /** Answer after `ms` on the clock (every action when none is given); 0 stops delaying. */
  delayAnswers(ms: number, action?: string): this {
    const key = action ?? '*';
    if (ms > 0) this.delays.set(key, ms);
    else this.delays.delete(key);
    return this;
  }

  /** Never answer the action while set. */
  withholdAnswers(action: string, withhold = true): this {
    if (withhold) this.withheld.add(action);
    else this.withheld.delete(action);
    return this;
  }

  /** The next `times` (default 1) answers to the action carry a schema-invalid payload (a deliberate stimulus). */
  answerInvalid(action: string, times = 1): this {
    if (times > 0) this.invalid.set(action, times);
    else this.invalid.delete(action);
    return this;
  }

  /** false: stop answering the charge point's pings with pongs. */
  answerPings(answer: boolean): this {
    this.pongs = answer;
    return this;
  }

  /** Ping every `intervalMs` on the clock; no pong within `pongTimeoutMs` → terminate. Applies to later connections too. */
  startPings(intervalMs: number, pongTimeoutMs: number): this {
    if (!(intervalMs > 0) || !(pongTimeoutMs > 0))
      throw new RangeError('startPings: intervals must be positive');
    this.pings = { intervalMs, pongTimeoutMs };
    this.host.current()?.syncPings();
    return this;
  }

  stopPings(): this {
    this.pings = undefined;
    this.host.current()?.syncPings();
    return this;
  }

  /** Subprotocols this identity may use (default: every version the CSMS offers). Extra to the contract. */
  allowVersions(versions: OcppVersion[]): this {
    for (const v of versions)
      if (!OCPP_VERSIONS.includes(v)) throw new RangeError(`unknown OCPP version ${v}`);
    this.versions = [...versions];
    return this;
  }

  /**
   * Sends a CALL to the charge point. Rejects with ValidationError (nothing sent) when the
   * payload is invalid, CallErrorResponse on a CALLERROR, ConnectionClosedError when not
   * connected or closed before the answer, CallTimeoutError after `timeoutMs` (default 30 s) on the clock.
   */
  async sendCall(action: string, payload: Record<string, unknown>, options: { timeoutMs?: number } = {}) {
    const live = this.host.current();
    if (live === undefined)
      throw new ConnectionClosedError(action, `${action}: ${this.identity} is not connected`);
    return live.sendCall(action, payload, options.timeoutMs ?? this.host.defaultCallTimeoutMs);
  }

  /** Back to the default behaviour (the registration the CSMS holds is kept). */
  reset(): this {
    this.bootSequence = [];
    this.bootsAnswered = 0;
    this.closeAfterHandshakeRule = undefined;
    this.refuseRule = undefined;
    this.noSubprotocolLeft = 0;
    this.closeOnMessageRule = undefined;
    this.closeAfterRule = undefined;
    this.delays.clear();
    this.withheld.clear();
    this.invalid.clear();
    this.pongs = true;
    this.pings = undefined;
    this.versions = undefined;
    this.host.current()?.syncPings();
    return this;
  }

  /* ------------------------------------------------ read by the connection */

  /** @internal The answer to the next BootNotification (consumes one of a sequence). */
  nextBootAnswer(): BootAnswerSpec {
    if (this.bootSequence.length === 0) return this.host.defaultBoot;
    const index = Math.min(this.bootsAnswered, this.bootSequence.length - 1);
    this.bootsAnswered += 1;
    return this.bootSequence[index] as BootAnswerSpec;
  }

  /** @internal */
  delayFor(action: string): number {
    return this.delays.get(action) ?? this.delays.get('*') ?? 0;
  }

  /** @internal */
  isWithheld(action: string): boolean {
    return this.withheld.has(action);
  }

  /** @internal Uses up one deliberate invalid answer for the action. */
  takeInvalid(action: string): boolean {
    const left = this.invalid.get(action);
    if (left === undefined) return false;
    if (left <= 1) this.invalid.delete(action);
    else this.invalid.set(action, left - 1);
    return true;
  }

  /** @internal Uses up one scripted refusal; its HTTP status, or undefined. */
  takeRefusal(): number | undefined {
    const rule = this.refuseRule;
    if (rule === undefined) return undefined;
    rule.left -= 1;
    if (rule.left <= 0) this.refuseRule = undefined;
    return rule.status;
  }

  /** @internal */
  takeNoSubprotocol(): boolean {
    if (this.noSubprotocolLeft <= 0) return false;
    this.noSubprotocolLeft -= 1;
    return true;
  }

  /** @internal Close code when this new connection must be closed right after open. */
  takeCloseAfterHandshake(): number | undefined {
    const rule = this.closeAfterHandshakeRule;
    if (rule === undefined) return undefined;
    rule.left -= 1;
    if (rule.left <= 0) this.closeAfterHandshakeRule = undefined;
    return rule.code;
  }

  /** @internal A pending closeAfter for a connection that just opened. */
  takeCloseAfter(): { ms: number; options: CloseOptions } | undefined {
    const rule = this.closeAfterRule;
    this.closeAfterRule = undefined;
    return rule;
  }

  /** @internal Counts a received CALL; the close options when it is the one to close on. */
  countCall(action: string): CloseOptions | undefined {
    const rule = this.closeOnMessageRule;
    if (rule === undefined || (rule.action !== undefined && rule.action !== action)) return undefined;
    rule.seen += 1;
    if (rule.seen < rule.n) return undefined;
    this.closeOnMessageRule = undefined;
    return rule.options;
  }
}

function checkBootAnswer(answer: BootAnswerSpec): void {
  if (!Number.isInteger(answer.intervalS) || answer.intervalS < 0) {
    throw new RangeError(`boot answer interval ${answer.intervalS} is not a whole number of seconds >= 0`);
  }
  for (const version of OCPP_VERSIONS) {
    const payload = messagesFor(version).bootNotificationResponse(answer, new Date(0));
    const failure = sharedValidator().validateResponse(version, 'BootNotification', payload);
    if (failure !== undefined) {
      throw new RangeError(`boot answer ${JSON.stringify(answer)} is not a valid BootNotification response`);
    }
  }
}
