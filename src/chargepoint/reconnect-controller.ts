/**
 * The reconnect controller: the single source of truth for the connection state and the
 * `online` flag (SPEC §1), and the owner of the back-off (SPEC §2) and of the resume delay.
 *
 * It owns no socket: it drives an injected `connect` / `close` pair and the injected Clock, and
 * is told what happened with {@link opened}, {@link closed}, {@link bootAccepted}. So it runs on
 * a virtual clock with no I/O at all.
 */
import type { Clock, TimerHandle } from '../clock';
import { BackoffSchedule } from './backoff';
import type { CloseInfo, CloseReason, ConnectionState } from './connection-types';
import type { ChargePointFaults } from './faults';
import type { ReconnectPolicy } from './policy';

export interface ReconnectSignals {
  /** A connect attempt starts; `attempt` is the back-off counter (0 for a fresh connection). */
  onConnecting?(attempt: number): void;
  onConnected?(protocol: string): void;
  onClosed?(info: CloseInfo): void;
  onOnline?(): void;
  onOffline?(): void;
  onBackoffScheduled?(attempt: number, delayMs: number): void;
}

export interface ReconnectControllerOptions {
  readonly clock: Clock;
  readonly policy: ReconnectPolicy;
  readonly random: () => number;
  /** Starts one connect attempt; its outcome is reported with opened() or closed(). */
  readonly connect: () => void;
  /** Starts closing the live socket (or the attempt under way) with this close code. */
  readonly close: (code: number) => void;
  readonly signals?: ReconnectSignals;
  readonly faults?: ChargePointFaults;
}

export interface ReconnectMetrics {
  /** Total reconnect attempts scheduled over the charge point's life. */
  reconnectAttempts: number;
  /** Current attempt counter n (0 after Boot Accepted). */
  attempt: number;
  lastCloseReason?: CloseReason;
  lastCloseCode?: number;
  /** What ended the last connection or attempt, in words (never a credential). */
  lastCloseDetail?: string;
  /** HTTP status of the last refused upgrade attempt (cleared by a successful open). */
  lastHttpStatus?: number;
  /** Close seen → online, on the injected clock. */
  lastReconnectDurationMs?: number;
  /** Last scheduled delay. */
  currentBackoffMs?: number;
}

export class ReconnectController {
  private currentState: ConnectionState = 'Disconnected';
  private isOnline = false;
  /** Between start() and stop(). */
  private running = false;
  /** disconnect(): held offline until release(). */
  private held = false;
  private reconnectTimer: TimerHandle | undefined;
  private resumeTimer: TimerHandle | undefined;
  private readonly backoff: BackoffSchedule;
  private closeSeenAt: number | undefined;
  private readonly stats: ReconnectMetrics = { reconnectAttempts: 0, attempt: 0 };

  constructor(private readonly options: ReconnectControllerOptions) {
    this.backoff = new BackoffSchedule(options.policy, options.random, {
      noJitterCap: options.faults?.noJitterCap === true,
    });
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get online(): boolean {
    return this.isOnline;
  }

  /** True between start() and stop(). */
  get started(): boolean {
    return this.running;
  }

  get isHeld(): boolean {
    return this.held;
  }

  /** True while a reconnect is scheduled and has not started yet. */
  get reconnectPending(): boolean {
    return this.reconnectTimer !== undefined;
  }

  get metrics(): ReconnectMetrics {
    return { ...this.stats, attempt: this.backoff.attempt };
  }

  /** Disconnected → Connecting. Throws when already started: never a second socket. */
  start(): void {
    if (this.running || this.currentState !== 'Disconnected') {
      throw new Error(`start(): already started (state ${this.currentState})`);
    }
    this.running = true;
    this.held = false;
    this.beginAttempt();
  }

  /** Cancels the reconnect timer and closes with 1000; no reconnect follows. Returns true when a socket is being closed. */
  stop(): boolean {
    this.running = false;
    this.held = false;
    this.cancelReconnect();
    return this.closeLive();
  }

  /** disconnect(): close with 1000 and stay offline until release(). Returns true when a socket is being closed. */
  hold(): boolean {
    this.held = true;
    this.cancelReconnect();
    return this.closeLive();
  }

  /** connect(): leave the held state and connect now (when no socket is open or opening). */
  release(): void {
    this.held = false;
    this.running = true;
    if (this.currentState === 'Disconnected') {
      this.cancelReconnect();
      this.beginAttempt();
    }
    // Connecting / Connected: already there. Closing: closed() schedules the reconnect.
  }

  /** The transport opened: Connecting → Connected. */
  opened(protocol: string): void {
    if (this.currentState !== 'Connecting') return;
    this.currentState = 'Connected';
    if (this.options.faults?.resetAttemptsOnOpen) this.backoff.reset();
    this.options.signals?.onConnected?.(protocol);
  }

  /** The connect attempt failed or the transport closed: → Disconnected, offline, reconnect scheduled. */
  closed(info: CloseInfo): void {
    if (this.currentState === 'Disconnected') return;
    const wasOnline = this.isOnline;
    this.currentState = 'Disconnected';
    this.isOnline = false;
    this.cancelResume();
    this.closeSeenAt = this.options.clock.now();
    this.stats.lastCloseReason = info.reason;
    this.stats.lastCloseCode = info.code;
    this.stats.lastCloseDetail = info.detail;
    if (info.httpStatus === undefined) delete this.stats.lastHttpStatus;
    else this.stats.lastHttpStatus = info.httpStatus;
    this.options.signals?.onClosed?.(info);
    if (wasOnline) this.options.signals?.onOffline?.();
    // A listener may have called stop(), hold() or release() meanwhile: schedule only if still due.
    const due = this.running && !this.held && this.currentState === 'Disconnected';
    if (due && this.reconnectTimer === undefined) this.scheduleReconnect();
  }

  /** Boot Accepted: the attempt counter goes back to 0; online after the resume delay. */
  bootAccepted(): void {
    if (this.currentState !== 'Connected') return;
    if (!this.options.faults?.resetAttemptsOnOpen) this.backoff.reset();
    if (!this.isOnline) this.scheduleResume();
  }

  /**
   * A reconnect without BootNotification (rebootOnReconnect false): online after the resume
   * delay; the attempt counter is reset when online is reached (the boot's stand-in).
   */
  resumeWithoutBoot(): void {
    if (this.currentState !== 'Connected' || this.isOnline) return;
    this.scheduleResume(true);
  }

  private beginAttempt(): void {
    if (this.currentState !== 'Disconnected') return;
    this.currentState = 'Connecting';
    this.options.signals?.onConnecting?.(this.backoff.attempt);
    this.options.connect();
  }

  private closeLive(): boolean {
    this.cancelResume();
    if (this.currentState === 'Connecting' || this.currentState === 'Connected') {
      const wasOnline = this.isOnline;
      this.currentState = 'Closing';
      this.isOnline = false;
      if (wasOnline) this.options.signals?.onOffline?.();
      this.options.close(1000);
      return true;
    }
    return this.currentState === 'Closing';
  }

  private scheduleReconnect(): void {
    const computed = this.backoff.next();
    const delay = this.options.faults?.noBackoff ? 0 : computed;
    this.stats.reconnectAttempts++;
    this.stats.currentBackoffMs = delay;
    this.reconnectTimer = this.options.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.running && !this.held) this.beginAttempt();
    }, delay);
    this.options.signals?.onBackoffScheduled?.(this.backoff.attempt, delay);
  }

  private scheduleResume(resetAttempts = false): void {
    if (this.resumeTimer !== undefined) return;
    const goOnline = () => {
      this.resumeTimer = undefined;
      if (this.currentState !== 'Connected' || this.isOnline) return;
      if (resetAttempts && !this.options.faults?.resetAttemptsOnOpen) this.backoff.reset();
      this.isOnline = true;
      if (this.closeSeenAt !== undefined) {
        this.stats.lastReconnectDurationMs = this.options.clock.now() - this.closeSeenAt;
        this.closeSeenAt = undefined;
      }
      this.options.signals?.onOnline?.();
    };
    if (this.options.faults?.skipResumeDelay) {
      goOnline();
      return;
    }
    this.resumeTimer = this.options.clock.setTimeout(goOnline, this.options.policy.resumeDelayMs);
  }

  private cancelReconnect(): void {
    this.options.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private cancelResume(): void {
    this.options.clock.clearTimeout(this.resumeTimer);
    this.resumeTimer = undefined;
  }
}
