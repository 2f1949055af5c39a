/**
 * The transport: one WebSocket connection over `ws` (OCPP-J §3). It connects with the one
 * subprotocol asked for and checks that the server agreed to it, writes text frames in order,
 * answers pings (ws does), optionally pings the server and terminates when a pong is missed,
 * and reports exactly one close, mapped to a {@link CloseReason}.
 *
 * One Transport is one connection attempt; the charge point makes a new one per attempt.
 */
import type { LookupFunction } from 'node:net';
import WebSocket from 'ws';
import type { Clock, TimerHandle } from '../clock';
import { type CloseEvidence, classifyClose } from './close-reasons';
import type { CloseInfo, CloseReason } from './connection-types';

export interface TransportHandlers {
  open(protocol: string): void;
  message(text: string): void;
  /** A binary frame arrived (OCPP-J uses text frames only); it is not handled. */
  binary?(size: number): void;
  /** Called exactly once per transport. */
  close(info: CloseInfo): void;
}

/** What the session and the facade need from a connection; a fake implements it in unit tests. */
export interface Transport {
  connect(): void;
  send(text: string): void;
  close(code: number, reason?: string): void;
  /** Kills the socket without a close handshake (as a network fault would). */
  terminate(reason: CloseReason, detail: string): void;
  /** True while a connect attempt or a close handshake is under way, or written bytes are not flushed. */
  ioPending(): boolean;
}

export interface BasicAuth {
  readonly username: string;
  readonly password: string;
}

export interface TlsOptions {
  readonly ca?: string | Buffer;
  readonly rejectUnauthorized?: boolean;
}

export interface WsTransportOptions {
  readonly url: string;
  /** The subprotocol to ask for (ocpp1.6 / ocpp2.0.1). */
  readonly protocol: string;
  readonly clock: Clock;
  readonly connectTimeoutMs?: number;
  readonly pingIntervalMs?: number;
  /** How long to wait for a pong; defaults to pingIntervalMs. */
  readonly pongTimeoutMs?: number;
  readonly basicAuth?: BasicAuth;
  readonly tls?: TlsOptions;
  /** Name resolution for the CSMS host (default: the system's); tests inject a failing one. */
  readonly lookup?: LookupFunction;
  /** Largest frame accepted from the CSMS, bytes (default {@link DEFAULT_MAX_PAYLOAD}); larger → close 1009. */
  readonly maxPayload?: number;
}

/** Largest inbound frame by default: 1 MiB, as the test CSMS (OCPP messages are far smaller). */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/** Oldest TLS version the charge point speaks (OCPP security whitepaper: TLS 1.2 or newer). */
export const TLS_MIN_VERSION = 'TLSv1.2';

export type TransportFactory = (handlers: TransportHandlers) => Transport;

export class WsTransport implements Transport {
  private ws: WebSocket | undefined;
  private lastError: (Error & { code?: string }) | undefined;
  private forced: { reason: CloseReason; detail: string } | undefined;
  private pingTimer: TimerHandle | undefined;
  private pongTimer: TimerHandle | undefined;
  private ended = false;

  constructor(
    private readonly options: WsTransportOptions,
    private readonly handlers: TransportHandlers,
  ) {}

  connect(): void {
    if (this.ws) throw new Error('transport: connect() called twice');
    const { url, protocol, connectTimeoutMs, basicAuth, tls, lookup, maxPayload } = this.options;
    const headers: Record<string, string> = {};
    if (basicAuth) {
      const token = Buffer.from(`${basicAuth.username}:${basicAuth.password}`).toString('base64');
      headers['Authorization'] = `Basic ${token}`;
    }
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, [protocol], {
        headers,
        handshakeTimeout: connectTimeoutMs,
        perMessageDeflate: false,
        followRedirects: false,
        maxPayload: maxPayload ?? DEFAULT_MAX_PAYLOAD,
        minVersion: TLS_MIN_VERSION,
        ...(lookup === undefined ? {} : { lookup }),
        ...(tls?.ca === undefined ? {} : { ca: tls.ca }),
        ...(tls?.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: tls.rejectUnauthorized }),
      });
    } catch (error) {
      // A URL ws refuses: report it as a failed attempt, asynchronously like any other.
      queueMicrotask(() =>
        this.finish({ reason: 'TransportError', code: 1006, detail: (error as Error).message }),
      );
      return;
    }
    this.ws = ws;
    ws.on('open', () => {
      if (ws.protocol !== protocol) {
        this.forced = {
          reason: 'ProtocolError',
          detail: `server agreed to subprotocol ${JSON.stringify(ws.protocol)}, asked for ${protocol}`,
        };
        ws.close(1002, 'subprotocol not agreed');
        return;
      }
      this.startPinging();
      this.handlers.open(ws.protocol);
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        this.handlers.binary?.(byteLength(data));
        return;
      }
      this.handlers.message(data.toString());
    });
    ws.on('pong', () => {
      this.options.clock.clearTimeout(this.pongTimer);
      this.pongTimer = undefined;
    });
    ws.on('error', (error) => {
      this.lastError ??= error;
    });
    ws.on('close', (code, reason) => {
      const evidence: CloseEvidence = {
        code,
        reasonText: reason.toString(),
        ...(this.lastError ? { error: this.lastError } : {}),
        ...(this.forced ? { forced: this.forced } : {}),
      };
      this.finish(classifyClose(evidence));
    });
  }

  send(text: string): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) throw new Error('transport: not open');
    ws.send(text);
  }

  close(code: number, reason = ''): void {
    const ws = this.ws;
    if (!ws || this.ended) return;
    this.forced ??= { reason: 'Clean', detail: `closed by the charge point (${code})` };
    if (ws.readyState === WebSocket.CONNECTING) {
      ws.terminate();
      return;
    }
    ws.close(code, reason);
  }

  terminate(reason: CloseReason, detail: string): void {
    const ws = this.ws;
    if (!ws || this.ended) return;
    this.forced ??= { reason, detail };
    ws.terminate();
  }

  ioPending(): boolean {
    const ws = this.ws;
    if (!ws || this.ended) return false;
    return (
      ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.CLOSING || ws.bufferedAmount > 0
    );
  }

  private startPinging(): void {
    const interval = this.options.pingIntervalMs;
    if (interval === undefined || interval <= 0) return;
    const pongTimeout = this.options.pongTimeoutMs ?? interval;
    const ping = () => {
      this.pingTimer = this.options.clock.setTimeout(ping, interval);
      const ws = this.ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) return;
      ws.ping();
      if (this.pongTimer === undefined) {
        this.pongTimer = this.options.clock.setTimeout(() => {
          this.pongTimer = undefined;
          this.terminate('TransportError', `no pong within ${pongTimeout} ms`);
        }, pongTimeout);
      }
    };
    this.pingTimer = this.options.clock.setTimeout(ping, interval);
  }

  private finish(info: CloseInfo): void {
    if (this.ended) return;
    this.ended = true;
    this.options.clock.clearTimeout(this.pingTimer);
    this.options.clock.clearTimeout(this.pongTimer);
    this.pingTimer = undefined;
    this.pongTimer = undefined;
    this.handlers.close(info);
  }
}

function byteLength(data: WebSocket.RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, b) => sum + b.length, 0);
  return (data as Buffer | ArrayBuffer).byteLength;
}
