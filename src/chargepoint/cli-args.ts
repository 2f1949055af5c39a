/**
 * Command-line flags of `npm run chargepoint` → charge point options. A bad flag throws a
 * {@link UsageError} that names it (the CLI prints the usage and exits 2).
 */
import { isOcppVersion, type OcppVersion } from '../ocpp';
import { PolicyError, type ReconnectPolicy, resolvePolicy } from './policy';
import type { BasicAuth } from './transport';

export const USAGE = `usage: npm run chargepoint -- --url ws://127.0.0.1:9000/ocpp/CP001 [options]

  --url URL                    CSMS URL; the identity is its last path segment (required)
  --ocpp 1.6|2.0.1             OCPP version (default 1.6)
  --initial-backoff-ms N       first reconnect delay (exp-jitter)
  --max-backoff-ms N           cap of every reconnect delay (exp-jitter)
  --jitter R                   ± jitter ratio, 0 ≤ R < 1 (exp-jitter)
  --resume-delay-ms N          wait between Boot Accepted and going online
  --backoff exp-jitter|ocpp201 back-off model (default exp-jitter)
  --wait-min-s N               ocpp201: RetryBackOffWaitMinimum, seconds (fractions allowed)
  --random-range-s N           ocpp201: RetryBackOffRandomRange, seconds (fractions allowed)
  --repeat-times N             ocpp201: RetryBackOffRepeatTimes
  --no-reboot-on-reconnect     no BootNotification on a reconnect
  --reboot-on-reconnect B      true|false: the same as a value (for SUT-file placeholders)
  --call-timeout-ms N          call timeout (default 30000)
  --ping-interval-ms N         ping the CSMS every N ms; a missed pong drops the connection (0: no pings)
  --pong-timeout-ms N          how long to wait for a pong (default: the ping interval)
  --basic-auth user:pass       HTTP Basic auth (security profile 1)
  --help                       this text`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    readonly flag: string,
    message: string,
  ) {
    super(`${flag}: ${message}`);
  }
}

export interface CliConfig {
  readonly url: string;
  readonly ocppVersion: OcppVersion;
  readonly policy: ReconnectPolicy;
  readonly callTimeoutMs?: number;
  readonly pingIntervalMs?: number;
  readonly pongTimeoutMs?: number;
  readonly basicAuth?: BasicAuth;
}

export type ParsedArgs = { readonly help: true } | { readonly help: false; readonly config: CliConfig };

type Kind = 'ms' | 'ratio' | 'seconds' | 'count' | 'string';

/** Flags that take a value, and the policy field (or option) each one sets. */
const VALUE_FLAGS: Readonly<Record<string, { key: string; kind: Kind }>> = {
  '--url': { key: 'url', kind: 'string' },
  '--ocpp': { key: 'ocpp', kind: 'string' },
  '--initial-backoff-ms': { key: 'initialBackoffMs', kind: 'ms' },
  '--max-backoff-ms': { key: 'maxBackoffMs', kind: 'ms' },
  '--jitter': { key: 'jitterRatio', kind: 'ratio' },
  '--resume-delay-ms': { key: 'resumeDelayMs', kind: 'ms' },
  '--backoff': { key: 'backoff', kind: 'string' },
  '--wait-min-s': { key: 'retryBackOffWaitMinimumMs', kind: 'seconds' },
  '--random-range-s': { key: 'retryBackOffRandomRangeMs', kind: 'seconds' },
  '--repeat-times': { key: 'retryBackOffRepeatTimes', kind: 'count' },
  '--call-timeout-ms': { key: 'callTimeoutMs', kind: 'ms' },
  '--ping-interval-ms': { key: 'pingIntervalMs', kind: 'ms' },
  '--pong-timeout-ms': { key: 'pongTimeoutMs', kind: 'ms' },
  '--basic-auth': { key: 'basicAuth', kind: 'string' },
  '--reboot-on-reconnect': { key: 'rebootOnReconnect', kind: 'string' },
};

const POLICY_KEYS = new Set([
  'initialBackoffMs',
  'maxBackoffMs',
  'jitterRatio',
  'resumeDelayMs',
  'backoff',
  'retryBackOffWaitMinimumMs',
  'retryBackOffRandomRangeMs',
  'retryBackOffRepeatTimes',
]);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const values = new Map<string, string | number>();
  const policy: Record<string, unknown> = {};
  const flagOf = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--no-reboot-on-reconnect') {
      policy['rebootOnReconnect'] = false;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const spec = VALUE_FLAGS[flag];
    if (!spec) throw new UsageError(flag, 'unknown flag');
    let raw: string | undefined;
    if (flag !== arg) raw = arg.slice(eq + 1);
    else {
      raw = argv[i + 1];
      if (raw === undefined || (raw.startsWith('--') && raw.length > 2))
        throw new UsageError(flag, 'needs a value');
      i++;
    }
    const value = convert(flag, spec.kind, raw);
    flagOf.set(spec.key, flag);
    if (spec.key === 'rebootOnReconnect') {
      if (value !== 'true' && value !== 'false')
        throw new UsageError(flag, `must be true or false, got ${raw}`);
      policy['rebootOnReconnect'] = value === 'true';
      continue;
    }
    if (POLICY_KEYS.has(spec.key)) policy[spec.key] = value;
    else values.set(spec.key, value);
  }
  const url = values.get('url');
  if (typeof url !== 'string') throw new UsageError('--url', 'is required');
  checkUrl(url);
  const ocpp = values.get('ocpp') ?? '1.6';
  if (!isOcppVersion(ocpp)) throw new UsageError('--ocpp', `must be 1.6 or 2.0.1, got ${String(ocpp)}`);
  let resolved: ReconnectPolicy;
  try {
    resolved = resolvePolicy(policy as Partial<ReconnectPolicy>);
  } catch (error) {
    if (error instanceof PolicyError) {
      throw new UsageError(flagOf.get(error.field) ?? error.field, error.message);
    }
    throw error;
  }
  const config: Record<string, unknown> = { url, ocppVersion: ocpp, policy: resolved };
  for (const key of ['callTimeoutMs', 'pingIntervalMs', 'pongTimeoutMs'] as const) {
    if (values.has(key)) config[key] = values.get(key);
  }
  if (values.get('pingIntervalMs') === 0) {
    delete config['pingIntervalMs'];
    delete config['pongTimeoutMs'];
  }
  if (values.get('callTimeoutMs') === 0) throw new UsageError('--call-timeout-ms', 'must be above 0');
  const auth = values.get('basicAuth');
  if (typeof auth === 'string') {
    const colon = auth.indexOf(':');
    if (colon <= 0) throw new UsageError('--basic-auth', 'must be user:pass');
    config['basicAuth'] = { username: auth.slice(0, colon), password: auth.slice(colon + 1) };
  }
  return { help: false, config: config as unknown as CliConfig };
}

function convert(flag: string, kind: Kind, raw: string): string | number {
  if (kind === 'string') {
    if (raw === '') throw new UsageError(flag, 'needs a value');
    return raw;
  }
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new UsageError(flag, `must be a number ≥ 0, got ${JSON.stringify(raw)}`);
  }
  switch (kind) {
    case 'seconds':
      return Math.round(value * 1000);
    case 'count':
    case 'ms':
      if (!Number.isInteger(value)) throw new UsageError(flag, `must be a whole number, got ${raw}`);
      return value;
    default:
      return value;
  }
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError('--url', `not a URL: ${url}`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new UsageError('--url', `must be ws:// or wss://, got ${parsed.protocol}`);
  }
  if (parsed.pathname.split('/').filter(Boolean).length === 0) {
    throw new UsageError('--url', 'needs the identity as its last path segment');
  }
}

/** A URL with any password in it replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
