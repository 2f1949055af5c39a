/**
 * Back-off delays (SPEC §2): pure arithmetic for both models, with the random source injected.
 *
 * - `exp-jitter`: nominal(n) = min(max, initial · 2^(n−1)); delay(n) = min(max, nominal(n) · U(1−r, 1+r)).
 * - `ocpp201` (OCPP 2.0.1 Part 4 §5.3): first delay W + U(0, R); each next one doubles the previous
 *   and adds a fresh U(0, R), for at most K doublings; after that the delay stays the same.
 */
import type { ReconnectPolicy } from './policy';

/** Longest delay a timer can take (setTimeout's 32-bit limit); no delay ever exceeds it. */
export const MAX_DELAY_MS = 2_147_483_647;

/** Exponent beyond which 2^(n−1) makes any positive initial delay reach any cap (kept finite). */
const MAX_EXPONENT = 64;

export interface BackoffOptions {
  /** Test-only fault: the jittered delay may exceed `maxBackoffMs` (cap applied before jitter only). */
  readonly noJitterCap?: boolean;
}

/** Nominal delay of attempt `n` (n ≥ 1) of the exp-jitter model, before jitter. Never overflows. */
export function nominalDelayMs(policy: ReconnectPolicy, attempt: number): number {
  const n = Math.max(1, Math.floor(attempt));
  const exponent = Math.min(n - 1, MAX_EXPONENT);
  return Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** exponent, MAX_DELAY_MS);
}

/** Delay of attempt `n` of the exp-jitter model: in [nominal·(1−r), min(max, nominal·(1+r))]. */
export function expJitterDelayMs(
  policy: ReconnectPolicy,
  attempt: number,
  random: () => number,
  options: BackoffOptions = {},
): number {
  const nominal = nominalDelayMs(policy, attempt);
  const r = policy.jitterRatio;
  const factor = 1 - r + 2 * r * clampUnit(random());
  const jittered = nominal * factor;
  const capped = options.noJitterCap ? jittered : Math.min(policy.maxBackoffMs, jittered);
  return Math.min(MAX_DELAY_MS, Math.round(capped));
}

/** The bounds every exp-jitter delay of attempt `n` lies in (what the suite checks). */
export function expJitterBounds(policy: ReconnectPolicy, attempt: number): { min: number; max: number } {
  const nominal = nominalDelayMs(policy, attempt);
  const r = policy.jitterRatio;
  return {
    min: Math.floor(nominal * (1 - r)),
    max: Math.ceil(Math.min(policy.maxBackoffMs, nominal * (1 + r))),
  };
}

/**
 * Delay of attempt `n` of the ocpp201 model, given the previous attempt's delay (undefined for n = 1).
 * Attempts 2..K+1 double the previous delay and add U(0, R); later attempts repeat the previous delay.
 */
export function ocpp201DelayMs(
  policy: ReconnectPolicy,
  attempt: number,
  previousMs: number | undefined,
  random: () => number,
): number {
  const n = Math.max(1, Math.floor(attempt));
  const spread = () => policy.retryBackOffRandomRangeMs * clampUnit(random());
  if (n === 1 || previousMs === undefined) {
    return Math.min(MAX_DELAY_MS, Math.round(policy.retryBackOffWaitMinimumMs + spread()));
  }
  if (n - 1 > policy.retryBackOffRepeatTimes) return previousMs;
  return Math.min(MAX_DELAY_MS, Math.round(previousMs * 2 + spread()));
}

/**
 * The attempt counter and the delays it yields, for either model. Only {@link reset} (Boot
 * Accepted) sets the counter back to 0.
 */
export class BackoffSchedule {
  private attemptCount = 0;
  private previousMs: number | undefined;

  constructor(
    private readonly policy: ReconnectPolicy,
    private readonly random: () => number,
    private readonly options: BackoffOptions = {},
  ) {}

  /** Reconnects scheduled since the last reset. */
  get attempt(): number {
    return this.attemptCount;
  }

  /** Counts one more attempt and returns its delay. */
  next(): number {
    // Saturate instead of growing without bound; the delay is capped long before this.
    if (this.attemptCount < Number.MAX_SAFE_INTEGER) this.attemptCount++;
    const delay =
      this.policy.backoff === 'ocpp201'
        ? ocpp201DelayMs(this.policy, this.attemptCount, this.previousMs, this.random)
        : expJitterDelayMs(this.policy, this.attemptCount, this.random, this.options);
    this.previousMs = delay;
    return delay;
  }

  reset(): void {
    this.attemptCount = 0;
    this.previousMs = undefined;
  }
}

function clampUnit(value: number): number {
  if (!(value >= 0)) return 0;
  return value >= 1 ? 1 - Number.EPSILON : value;
}
