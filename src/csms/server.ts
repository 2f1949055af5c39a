import { EventEmitter } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Clock, systemClock } from '../clock';
import { OCPP_VERSIONS, type OcppVersion, versionOfSubprotocol } from '../ocpp/version';
import { CsmsConnection } from './connection';
import type { RecordedEvent } from './events';
import { basicAuthMatches, chooseProtocol, identityFromPath, offeredProtocols } from './handshake';
import { type BootAnswerSpec, IdentityScript, type LiveConnection, type ScriptHost } from './identity-script';
import { IdentityState } from './identity-state';
import { Recorder } from './recorder';
import { writeRefusal } from './refusal';

/** Largest frame accepted by default: 1 MiB (ws closes a larger one with 1009). */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
/** Oldest TLS version served (OCPP security whitepaper: TLS 1.2 or newer). */
export const TLS_MIN_VERSION = 'TLSv1.2';
/** Shortest AuthorizationKey the OCA security whitepaper recommends. */
export const MIN_AUTHORIZATION_KEY_LENGTH = 16;
/** Real-time bound on a peer finishing the close handshake during {@link TestCsms.close}. */
const SHUTDOWN_GRACE_MS = 2000;

export interface TestCsmsOptions {
  /** Default systemClock; every recorded timestamp and every script timer uses it. */
  clock?: Clock;
  /** Default '/ocpp/'. */
  pathPrefix?: string;
  /** Identities allowed; an unknown one gets HTTP 404 (when set). */
  allowList?: string[];
  /** Identity → AuthorizationKey (security profile 1); wrong or missing credentials → 401. */
  basicAuth?: Record<string, string>;
  /** Serve wss (security profile 2). */
  tls?: { cert: string; key: string };
  /** Bytes; default {@link DEFAULT_MAX_PAYLOAD} (1 MiB). */
  maxPayload?: number;
  /** Offered subprotocols; default both. */
  versions?: OcppVersion[];
  /** Default boot answer of every identity: Accepted, 60 s. */
  bootAnswer?: BootAnswerSpec;
  /** Slack (ms) for timing findings ("boot retried too soon"); default 0. */
  timingToleranceMs?: number;
  /** How long a charge point is assumed to wait for an answer before its CALL times out (default 30 s). */
  chargePointCallTimeoutMs?: number;
  /** Timeout of the CSMS's own CALLs when sendCall gives none (default 30 s). */
  callTimeoutMs?: number;
}

interface Listening {
  readonly server: Server;
  readonly wss: WebSocketServer;
  readonly host: string;
  readonly port: number;
}

/**
 * A scriptable OCPP CSMS for tests. Emits 'event' (every RecordedEvent) and 'finding' (every Finding).
 * Can listen again after {@link close} (the recorder and scripts persist).
 */
export class TestCsms extends EventEmitter {
  readonly recorder: Recorder;
  private readonly clock: Clock;
  private readonly prefix: string;
  private readonly versions: OcppVersion[];
  private readonly defaultBoot: BootAnswerSpec;
  private readonly scripts = new Map<string, IdentityScript>();
  private readonly states = new Map<string, IdentityState>();
  /** Open connections per identity, oldest first. */
  private readonly open = new Map<string, CsmsConnection[]>();
  /** Upgrade requests being handled, and refusals not yet flushed. */
  private readonly upgrading = new Set<Duplex>();
  /** The subprotocol decided for an upgrade request (false: none). */
  private readonly protocolFor = new WeakMap<IncomingMessage, string | false>();
  private listening: Listening | undefined;
  /** Sockets closed at once for want of a subprotocol, until their close completes. */
  private readonly bare = new Set<WebSocket>();

  /** Configuration that works but should not be so (a short AuthorizationKey); also emitted as 'warning' on listen(). Never contains a key. */
  readonly warnings: readonly string[];

  constructor(private readonly options: TestCsmsOptions = {}) {
    super();
    this.warnings = Object.entries(options.basicAuth ?? {})
      .filter(([, key]) => key.length < MIN_AUTHORIZATION_KEY_LENGTH)
      .map(
        ([identity, key]) =>
          `basicAuth: the AuthorizationKey of ${identity} is ${key.length} characters; the OCA security whitepaper asks for at least ${MIN_AUTHORIZATION_KEY_LENGTH}`,
      );
    this.clock = options.clock ?? systemClock;
    this.prefix = options.pathPrefix ?? '/ocpp/';
    this.versions = options.versions ?? [...OCPP_VERSIONS];
    this.defaultBoot = options.bootAnswer ?? { status: 'Accepted', intervalS: 60 };
    this.recorder = new Recorder(this.clock);
    this.recorder.on('event', (event: RecordedEvent) => {
      this.emit('event', event);
      if (event.kind === 'finding') this.emit('finding', event.finding);
    });
  }

  async listen(opts: { host?: string; port?: number } = {}): Promise<{ host: string; port: number }> {
    if (this.listening !== undefined) throw new Error('the test CSMS is already listening');
    for (const warning of this.warnings) this.emit('warning', warning);
    const host = opts.host ?? '127.0.0.1';
    const tls = this.options.tls;
    const server =
      tls === undefined
        ? createHttpServer()
        : createHttpsServer({ cert: tls.cert, key: tls.key, minVersion: TLS_MIN_VERSION });
    const wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      autoPong: false,
      maxPayload: this.options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
      handleProtocols: (_protocols, request) => this.protocolFor.get(request) ?? false,
    });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(wss, request, socket, head),
    );
    server.on('request', (_request, response) => {
      response.writeHead(426, { 'Content-Type': 'text/plain', Connection: 'close' });
      response.end('OCPP over WebSocket only\n');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    this.listening = { server, wss, host, port };
    return { host, port };
  }

  /** The port listened on (the last one, after close). */
  get port(): number {
    if (this.lastPort === undefined) throw new Error('the test CSMS has not listened yet');
    return this.lastPort;
  }

  private get lastPort(): number | undefined {
    return this.listening?.port ?? this.closedPort;
  }

  private closedPort: number | undefined;

  url(identity: string): string {
    const listening = this.listening;
    if (listening === undefined) throw new Error('the test CSMS is not listening');
    const scheme = this.options.tls === undefined ? 'ws' : 'wss';
    return `${scheme}://${listening.host}:${listening.port}${this.prefix}${encodeURIComponent(identity)}`;
  }

  script(identity: string): IdentityScript {
    let script = this.scripts.get(identity);
    if (script === undefined) {
      const host: ScriptHost = {
        current: (): LiveConnection | undefined => this.current(identity),
        defaultBoot: this.defaultBoot,
        defaultCallTimeoutMs: this.options.callTimeoutMs ?? 30_000,
      };
      script = new IdentityScript(identity, host);
      this.scripts.set(identity, script);
    }
    return script;
  }

  isConnected(identity: string): boolean {
    return this.current(identity) !== undefined;
  }

  ioPending(): boolean {
    if (this.upgrading.size > 0 || this.bare.size > 0) return true;
    for (const list of this.open.values()) for (const c of list) if (c.ioPending()) return true;
    return false;
  }

  stats(identity: string): { framesSent: number; framesReceived: number } {
    const state = this.states.get(identity);
    return { framesSent: state?.framesSent ?? 0, framesReceived: state?.framesReceived ?? 0 };
  }

  /** Closes every socket (1001) and the server; every timer of every connection is cleared. */
  async close(): Promise<void> {
    const listening = this.listening;
    this.listening = undefined;
    if (listening !== undefined) this.closedPort = listening.port;
    for (const socket of this.upgrading) socket.destroy();
    for (const ws of this.bare) ws.terminate();
    const connections = [...this.open.values()].flat();
    await Promise.all(connections.map((c) => this.shutDown(c)));
    if (listening === undefined) return;
    listening.wss.close();
    await new Promise<void>((resolve) => {
      listening.server.close(() => resolve());
      listening.server.closeAllConnections();
    });
  }

  /* -------------------------------------------------------------- internals */

  private async shutDown(connection: CsmsConnection): Promise<void> {
    // A real-time guard, like ws's own close timer: a peer that never answers the close frame
    // is cut after SHUTDOWN_GRACE_MS so close() always ends (it must not wait on a virtual clock).
    const guard = setTimeout(() => connection.forceEnd(), SHUTDOWN_GRACE_MS);
    try {
      await connection.close(1001, 'CSMS shutting down');
    } finally {
      clearTimeout(guard);
    }
  }

  private current(identity: string): CsmsConnection | undefined {
    const list = this.open.get(identity);
    if (list === undefined) return undefined;
    for (let i = list.length - 1; i >= 0; i--) if ((list[i] as CsmsConnection).isOpen) return list[i];
    return undefined;
  }

  private stateOf(identity: string): IdentityState {
    let state = this.states.get(identity);
    if (state === undefined) {
      state = new IdentityState();
      this.states.set(identity, state);
    }
    return state;
  }

  private onUpgrade(wss: WebSocketServer, request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {}); // a client vanishing mid-handshake is not the server's problem
    const identity = identityFromPath(request.url, this.prefix);
    if (identity === undefined) {
      this.refuseUnrecorded(socket, 404);
      return;
    }
    this.upgrading.add(socket);
    const protocols = offeredProtocols(request);
    const index = this.recorder.beginConnection(identity, protocols);
    const script = this.script(identity);
    const refusal = this.refusalFor(identity, request, script);
    if (refusal !== undefined) {
      this.recorder.record(identity, index, {
        kind: 'handshake',
        outcome: 'refused',
        status: refusal.status,
      });
      socket.once('close', () => this.upgrading.delete(socket));
      writeRefusal(socket, refusal.status, refusal.headers);
      return;
    }
    const allowed = this.versions.filter((v) => script.versions === undefined || script.versions.includes(v));
    const chosen = script.takeNoSubprotocol() ? undefined : chooseProtocol(protocols, allowed);
    this.protocolFor.set(request, chosen ?? false);
    let upgraded = false;
    socket.once('close', () => {
      this.upgrading.delete(socket);
      if (!upgraded)
        this.recorder.record(identity, index, { kind: 'handshake', outcome: 'refused', status: 400 });
    });
    wss.handleUpgrade(request, socket, head, (ws) => {
      upgraded = true;
      this.upgrading.delete(socket);
      this.onOpen(identity, index, chosen, ws);
    });
  }

  /** Allow-list (404), Basic auth (401), then the script's scripted refusals, in that order. */
  private refusalFor(
    identity: string,
    request: IncomingMessage,
    script: IdentityScript,
  ): { status: number; headers?: Record<string, string> } | undefined {
    const { allowList, basicAuth } = this.options;
    if (allowList !== undefined && !allowList.includes(identity)) return { status: 404 };
    if (basicAuth !== undefined) {
      const password = basicAuth[identity];
      if (password === undefined || !basicAuthMatches(request, identity, password)) {
        return { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="OCPP"' } };
      }
    }
    const scripted = script.takeRefusal();
    return scripted === undefined ? undefined : { status: scripted };
  }

  private refuseUnrecorded(socket: Duplex, status: number): void {
    this.upgrading.add(socket);
    socket.once('close', () => this.upgrading.delete(socket));
    writeRefusal(socket, status);
  }

  private onOpen(identity: string, index: number, protocol: string | undefined, ws: WebSocket): void {
    const version = versionOfSubprotocol(protocol);
    if (protocol === undefined || version === undefined) {
      this.recorder.record(identity, index, { kind: 'handshake', outcome: 'no-subprotocol' });
      const reason = 'no common OCPP subprotocol';
      this.bare.add(ws);
      ws.on('error', () => {});
      ws.once('close', () => {
        this.bare.delete(ws);
        this.recorder.record(identity, index, { kind: 'close', code: 1002, reason, by: 'csms' });
      });
      ws.close(1002, reason);
      return;
    }
    this.recorder.record(identity, index, { kind: 'handshake', outcome: 'accepted', protocol });
    this.recorder.record(identity, index, { kind: 'open', protocol, version });
    const previous = this.current(identity);
    const script = this.script(identity);
    const connection = new CsmsConnection({
      identity,
      index,
      version,
      ws,
      clock: this.clock,
      recorder: this.recorder,
      script,
      state: this.stateOf(identity),
      timingToleranceMs: this.options.timingToleranceMs ?? 0,
      chargePointCallTimeoutMs: this.options.chargePointCallTimeoutMs ?? 30_000,
      onClosed: (closed) => this.forget(closed),
    });
    const list = this.open.get(identity) ?? [];
    list.push(connection);
    this.open.set(identity, list);
    if (previous !== undefined) {
      this.recorder.recordFinding(identity, index, {
        kind: 'concurrent-connection',
        message: `a second connection while connection ${previous.index} is still open`,
        evidence: { openConnection: previous.index, newConnection: index },
      });
    }
    const closeCode = script.takeCloseAfterHandshake();
    if (closeCode !== undefined) {
      void connection.close(closeCode, 'closed after the handshake by the script');
      return;
    }
    const closeAfter = script.takeCloseAfter();
    if (closeAfter !== undefined) connection.closeAt(connection.openAt + closeAfter.ms, closeAfter.options);
    connection.syncPings();
  }

  private forget(connection: CsmsConnection): void {
    const list = this.open.get(connection.identity);
    if (list === undefined) return;
    const remaining = list.filter((c) => c !== connection);
    if (remaining.length === 0) this.open.delete(connection.identity);
    else this.open.set(connection.identity, remaining);
  }
}
