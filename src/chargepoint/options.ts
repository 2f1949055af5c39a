/**
 * The charge point's options and their checks: a bad option throws at construction with a
 * message that names it.
 */
import type { LookupFunction } from 'node:net';
import type { Clock } from '../clock';
import { type BootInfo, isOcppVersion, type OcppVersion } from '../ocpp';
import type { ChargePointFaults } from './faults';
import { type ReconnectPolicy, resolvePolicy } from './policy';
import type {
  BasicAuth,
  TlsOptions,
  TransportFactory,
  TransportHandlers,
  WsTransportOptions,
} from './transport';

export interface ChargePointOptions {
  /** e.g. ws://127.0.0.1:9000/ocpp/CP001 */
  url: string;
  /** Defaults to the URL's last path segment; if given, must match it. */
  identity?: string;
  ocppVersion: OcppVersion;
  policy?: Partial<ReconnectPolicy>;
  /** Default: the system clock. */
  clock?: Clock;
  /** [0, 1); default Math.random. */
  random?: () => number;
  /** Default { vendor: 'OpenReconnect', model: 'ReferenceCP' }. */
  boot?: BootInfo;
  /** Default 30000. */
  callTimeoutMs?: number;
  /** Default 1000. */
  queueLimit?: number;
  /** Default 10000: opening handshake timeout → TransportError + back-off. */
  connectTimeoutMs?: number;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  basicAuth?: BasicAuth;
  tls?: TlsOptions;
  /** Name resolution for the CSMS host (default: the system's). */
  lookup?: LookupFunction;
  /** Largest inbound frame in bytes (default 1 MiB); a larger one closes the connection (1009). */
  maxPayload?: number;
  /** Ignored: start() is always explicit. */
  autoStart?: boolean;
  /** TEST-ONLY rule breakers, all off by default. */
  faults?: ChargePointFaults;
  /**
   * Unit tests only: builds the transport of each connect attempt instead of a `ws` one
   * (receives the options the ws transport would get).
   */
  transportFactory?: (
    options: WsTransportOptions,
    handlers: TransportHandlers,
  ) => ReturnType<TransportFactory>;
}

export const DEFAULT_BOOT: BootInfo = Object.freeze({ vendor: 'OpenReconnect', model: 'ReferenceCP' });
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
export const DEFAULT_QUEUE_LIMIT = 1000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Shortest AuthorizationKey the OCA security whitepaper recommends (profile 1/2 passwords). */
export const MIN_AUTHORIZATION_KEY_LENGTH = 16;

/** Things that work but should not be so (e.g. a short AuthorizationKey): the charge point warns on start. */
export function optionWarnings(options: ChargePointOptions): string[] {
  const warnings: string[] = [];
  const key = options.basicAuth?.password;
  if (typeof key === 'string' && key.length < MIN_AUTHORIZATION_KEY_LENGTH) {
    warnings.push(
      `basicAuth: the AuthorizationKey is ${key.length} characters; the OCA security whitepaper asks for at least ${MIN_AUTHORIZATION_KEY_LENGTH}`,
    );
  }
  return warnings;
}

/** Longest charge point identity (OCPP 2.0.1 identifierString 48; 1.6 chargeBoxIdentity is shorter in practice). */
export const MAX_IDENTITY_LENGTH = 48;

export class ChargePointOptionError extends TypeError {
  override readonly name = 'ChargePointOptionError';
}

export interface CheckedOptions {
  readonly url: string;
  readonly identity: string;
  readonly ocppVersion: OcppVersion;
  readonly policy: ReconnectPolicy;
}

export function checkOptions(options: ChargePointOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null)
    throw new ChargePointOptionError('options are required');
  if (!isOcppVersion(options.ocppVersion)) {
    throw new ChargePointOptionError(
      `ocppVersion must be "1.6" or "2.0.1", got ${JSON.stringify(options.ocppVersion)}`,
    );
  }
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new ChargePointOptionError(`url: not a URL: ${JSON.stringify(options.url)}`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new ChargePointOptionError(`url: must be ws:// or wss://, got ${url.protocol}`);
  }
  const segments = url.pathname.split('/').filter((s) => s.length > 0);
  const last = segments.length > 0 ? decodeURIComponent(segments[segments.length - 1] as string) : '';
  if (last === '')
    throw new ChargePointOptionError(`url: no identity as the last path segment: ${options.url}`);
  const identity = options.identity ?? last;
  if (identity !== last) {
    throw new ChargePointOptionError(
      `identity ${JSON.stringify(identity)} is not the URL's last segment ${last}`,
    );
  }
  if (identity.includes(':')) throw new ChargePointOptionError(`identity must not contain ':': ${identity}`);
  if (identity.length > MAX_IDENTITY_LENGTH) {
    throw new ChargePointOptionError(
      `identity is ${identity.length} characters; at most ${MAX_IDENTITY_LENGTH}`,
    );
  }
  for (const field of [
    'callTimeoutMs',
    'queueLimit',
    'connectTimeoutMs',
    'pingIntervalMs',
    'pongTimeoutMs',
    'maxPayload',
  ] as const) {
    const value = options[field];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new ChargePointOptionError(`${field} must be a finite number ≥ 0, got ${JSON.stringify(value)}`);
    }
  }
  if (options.callTimeoutMs === 0) throw new ChargePointOptionError('callTimeoutMs must be above 0');
  if (
    options.basicAuth &&
    (typeof options.basicAuth.username !== 'string' || typeof options.basicAuth.password !== 'string')
  ) {
    throw new ChargePointOptionError('basicAuth needs a username and a password');
  }
  return {
    url: options.url,
    identity,
    ocppVersion: options.ocppVersion,
    policy: resolvePolicy(options.policy),
  };
}
