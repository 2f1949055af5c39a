/**
 * The reference charge point: the facade that wires a transport per connect attempt, the
 * reconnect controller (state, online, back-off) and the session (boot, calls, heartbeats),
 * and reports everything as typed events. Two instances never share state.
 */
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { type Clock, systemClock } from '../clock';
import { type OcppVersion, type Payload, SUBPROTOCOL, sharedValidator } from '../ocpp';
import type { CloseInfo, CloseReason, ConnectionState } from './connection-types';
import { MessageIdSource } from './message-ids';
import {
  type ChargePointOptions,
  checkOptions,
  DEFAULT_BOOT,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_QUEUE_LIMIT,
  optionWarnings,
} from './options';
import type { ReconnectPolicy } from './policy';
import { ReconnectController, type ReconnectMetrics } from './reconnect-controller';
import { Session } from './session';
import { type Transport, type TransportHandlers, WsTransport, type WsTransportOptions } from './transport';

/** Reconnect attempts, last close reason and detail, last reconnect duration, current back-off (SPEC §6). */
export type ChargePointMetrics = ReconnectMetrics;

export interface ChargePointEvents {
  /** A connect attempt starts (attempt 0 = first connection). */
  connecting: [{ attempt: number; url: string }];
  /** Transport open. */
  connected: [{ protocol: string }];
  closed: [{ reason: CloseReason; code: number; detail: string; httpStatus?: number }];
  /** A reconnect was scheduled. */
  backoff: [{ attempt: number; delayMs: number }];
  boot: [{ status: 'Accepted' | 'Pending' | 'Rejected'; intervalS: number }];
  online: [];
  offline: [];
  /** Every text frame written or handled. */
  frame: [{ direction: 'in' | 'out'; text: string }];
  /** Emitted only when someone listens: malformed inbound frames and the like (never a close). */
  error: [Error];
  /** Always emitted for the same things as 'error' (safe without a listener). */
  warning: [Error];
}

export class ChargePoint extends EventEmitter<ChargePointEvents> {
  readonly identity: string;
  readonly ocppVersion: OcppVersion;
  readonly policy: ReconnectPolicy;
  readonly url: string;
  private readonly options: ChargePointOptions;
  private readonly clock: Clock;
  private readonly controller: ReconnectController;
  private readonly session: Session;
  private transport: Transport | undefined;
  private readonly extraSockets = new Set<WebSocket>();
  private closeWaiters: Array<() => void> = [];
  private readonly counters = { framesSent: 0, framesReceived: 0 };
  private warnedOptions = false;

  constructor(options: ChargePointOptions) {
    super();
    const checked = checkOptions(options);
    this.options = options;
    this.url = checked.url;
    this.identity = checked.identity;
    this.ocppVersion = checked.ocppVersion;
    this.policy = checked.policy;
    this.clock = options.clock ?? systemClock;
    const random = options.random ?? Math.random;
    const faults = options.faults ?? {};
    this.controller = new ReconnectController({
      clock: this.clock,
      policy: this.policy,
      random,
      faults,
      connect: () => this.openTransport(),
      close: (code) => this.transport?.close(code),
      signals: {
        onConnecting: (attempt) => this.emit('connecting', { attempt, url: this.url }),
        onConnected: (protocol) => this.emit('connected', { protocol }),
        onClosed: (info) => this.emit('closed', { ...info }),
        onOnline: () => {
          this.session.wentOnline();
          this.emit('online');
        },
        onOffline: () => this.emit('offline'),
        onBackoffScheduled: (attempt, delayMs) => this.emit('backoff', { attempt, delayMs }),
      },
    });
    this.session = new Session({
      version: this.ocppVersion,
      clock: this.clock,
      validator: sharedValidator(),
      ids: new MessageIdSource(),
      policy: this.policy,
      random,
      boot: options.boot ?? DEFAULT_BOOT,
      callTimeoutMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      queueLimit: options.queueLimit ?? DEFAULT_QUEUE_LIMIT,
      authority: this.controller,
      faults,
      signals: {
        frame: (direction, text) => {
          if (direction === 'out') this.counters.framesSent++;
          else this.counters.framesReceived++;
          this.emit('frame', { direction, text });
        },
        boot: (answer) => this.emit('boot', { status: answer.status, intervalS: answer.intervalS }),
        warning: (error) => this.warn(error),
      },
    });
  }

  get state(): ConnectionState {
    return this.controller.state;
  }

  get online(): boolean {
    return this.controller.online;
  }

  get metrics(): ChargePointMetrics {
    return this.controller.metrics;
  }

  get heartbeatIntervalS(): number | undefined {
    return this.session.heartbeatIntervalS;
  }

  get stats(): { framesSent: number; framesReceived: number } {
    return { ...this.counters };
  }

  /** Disconnected → Connecting. Throws when already started (never a second socket). */
  start(): void {
    if (!this.warnedOptions) {
      this.warnedOptions = true;
      for (const message of optionWarnings(this.options)) this.warn(new Error(message));
    }
    this.controller.start();
  }

  /** Cancels the reconnect timer, closes with 1000 and resolves when the socket is closed; no reconnect afterwards. */
  async stop(): Promise<void> {
    this.controller.stop();
    for (const ws of this.extraSockets) ws.terminate();
    await this.whenClosed();
  }

  call(action: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.session.call(action, payload as Payload);
  }

  /** Kills the socket as a network fault would (TransportError); the normal reconnect follows. */
  forceDrop(): void {
    this.transport?.terminate('TransportError', 'forceDrop: socket killed');
  }

  /** Closes with 1000 and holds the charge point offline until connect(). */
  async disconnect(): Promise<void> {
    this.controller.hold();
    await this.whenClosed();
  }

  /** Leaves the held state and connects now. */
  connect(): void {
    this.controller.release();
  }

  /** True while real I/O is under way (connect attempt, close handshake, unflushed writes). */
  ioPending(): boolean {
    if (this.transport?.ioPending()) return true;
    for (const ws of this.extraSockets) {
      if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.CLOSING) return true;
    }
    return false;
  }

  private openTransport(): void {
    const subprotocol = SUBPROTOCOL[this.ocppVersion];
    const transportOptions: WsTransportOptions = {
      url: this.url,
      protocol: subprotocol,
      clock: this.clock,
      connectTimeoutMs: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ...(this.options.pingIntervalMs === undefined ? {} : { pingIntervalMs: this.options.pingIntervalMs }),
      ...(this.options.pongTimeoutMs === undefined ? {} : { pongTimeoutMs: this.options.pongTimeoutMs }),
      ...(this.options.basicAuth === undefined ? {} : { basicAuth: this.options.basicAuth }),
      ...(this.options.tls === undefined ? {} : { tls: this.options.tls }),
      ...(this.options.lookup === undefined ? {} : { lookup: this.options.lookup }),
      ...(this.options.maxPayload === undefined ? {} : { maxPayload: this.options.maxPayload }),
    };
    let transport: Transport;
    const handlers: TransportHandlers = {
      open: (protocol) => {
        if (this.transport !== transport) return;
        this.controller.opened(protocol);
        // stop()/disconnect() may have begun closing while the handshake completed: no boot then.
        if (this.controller.state !== 'Connected') return;
        this.session.opened((text) => transport.send(text));
      },
      message: (text) => {
        if (this.transport === transport) this.session.received(text);
      },
      binary: (size) =>
        this.warn(new Error(`binary frame of ${size} bytes ignored (OCPP-J uses text frames)`)),
      close: (info: CloseInfo) => {
        if (this.transport !== transport) return;
        this.transport = undefined;
        this.session.closed();
        this.controller.closed(info);
        const waiters = this.closeWaiters;
        this.closeWaiters = [];
        for (const resolve of waiters) resolve();
      },
    };
    transport = this.options.transportFactory
      ? this.options.transportFactory(transportOptions, handlers)
      : new WsTransport(transportOptions, handlers);
    this.transport = transport;
    if (this.options.faults?.twoSockets) this.openExtraSocket(transportOptions);
    transport.connect();
  }

  /** Test-only fault: a second socket to the same URL, kept open. */
  private openExtraSocket(options: WsTransportOptions): void {
    if (this.options.transportFactory) return;
    const ws = new WebSocket(options.url, [options.protocol], { perMessageDeflate: false });
    this.extraSockets.add(ws);
    ws.on('error', () => {});
    ws.on('close', () => this.extraSockets.delete(ws));
  }

  private whenClosed(): Promise<void> {
    if (this.transport === undefined) return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  private warn(error: Error): void {
    this.emit('warning', error);
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}
