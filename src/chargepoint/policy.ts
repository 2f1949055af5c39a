/**
 * The reconnect policy (SPEC §0, §2, §3). Every number a scenario expects comes from the policy
 * in force, so the policy is plain data that the charge point, the suite and SUT files share.
 */

/** `exp-jitter`: SPEC §2's exponential back-off with ± jitter; `ocpp201`: OCPP 2.0.1 Part 4 §5.3 RetryBackOff*. */
export type BackoffModel = 'exp-jitter' | 'ocpp201';

export interface ReconnectPolicy {
  readonly backoff: BackoffModel;
  /** exp-jitter: nominal delay of the first reconnect. */
  readonly initialBackoffMs: number;
  /** exp-jitter: cap of every delay. */
  readonly maxBackoffMs: number;
  /** exp-jitter: ± fraction applied to the nominal delay (0 ≤ r < 1). */
  readonly jitterRatio: number;
  /** ocpp201: RetryBackOffWaitMinimum (the OCPP variable is in seconds; here in ms). */
  readonly retryBackOffWaitMinimumMs: number;
  /** ocpp201: RetryBackOffRandomRange (seconds in OCPP; here in ms). */
  readonly retryBackOffRandomRangeMs: number;
  /** ocpp201: RetryBackOffRepeatTimes, the number of doublings. */
  readonly retryBackOffRepeatTimes: number;
  /** Wait between Boot Accepted and going online (EVerest's MessageQueueResumeDelay). */
  readonly resumeDelayMs: number;
  /** Send a BootNotification on every reconnect (true) or only on the first connection (false). */
  readonly rebootOnReconnect: boolean;
}

export const DEFAULT_POLICY: ReconnectPolicy = Object.freeze({
  backoff: 'exp-jitter',
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
  jitterRatio: 0.2,
  retryBackOffWaitMinimumMs: 3_000,
  retryBackOffRandomRangeMs: 10_000,
  retryBackOffRepeatTimes: 2,
  resumeDelayMs: 250,
  rebootOnReconnect: true,
});

const NUMERIC_FIELDS = [
  'initialBackoffMs',
  'maxBackoffMs',
  'jitterRatio',
  'retryBackOffWaitMinimumMs',
  'retryBackOffRandomRangeMs',
  'retryBackOffRepeatTimes',
  'resumeDelayMs',
] as const;

/** Thrown for a policy value that makes no sense; the message names the field. */
export class PolicyError extends RangeError {
  override readonly name = 'PolicyError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`policy.${field}: ${message}`);
  }
}

/** Fills in the defaults and checks every field; throws {@link PolicyError} naming the first bad field. */
export function resolvePolicy(partial: Partial<ReconnectPolicy> = {}): ReconnectPolicy {
  for (const key of Object.keys(partial)) {
    if (!Object.hasOwn(DEFAULT_POLICY, key)) throw new PolicyError(key, 'unknown policy field');
  }
  const policy: ReconnectPolicy = { ...DEFAULT_POLICY, ...stripUndefined(partial) };
  if (policy.backoff !== 'exp-jitter' && policy.backoff !== 'ocpp201') {
    throw new PolicyError(
      'backoff',
      `must be "exp-jitter" or "ocpp201", got ${JSON.stringify(policy.backoff)}`,
    );
  }
  for (const field of NUMERIC_FIELDS) {
    const value = policy[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new PolicyError(field, `must be a finite number ≥ 0, got ${JSON.stringify(value)}`);
    }
  }
  if (policy.jitterRatio >= 1)
    throw new PolicyError('jitterRatio', `must be below 1, got ${policy.jitterRatio}`);
  if (policy.initialBackoffMs > policy.maxBackoffMs) {
    throw new PolicyError(
      'initialBackoffMs',
      `${policy.initialBackoffMs} is above maxBackoffMs ${policy.maxBackoffMs}`,
    );
  }
  if (!Number.isInteger(policy.retryBackOffRepeatTimes)) {
    throw new PolicyError(
      'retryBackOffRepeatTimes',
      `must be an integer, got ${policy.retryBackOffRepeatTimes}`,
    );
  }
  if (typeof policy.rebootOnReconnect !== 'boolean') {
    throw new PolicyError(
      'rebootOnReconnect',
      `must be true or false, got ${JSON.stringify(policy.rebootOnReconnect)}`,
    );
  }
  return Object.freeze(policy);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
