import type { ReconnectPolicy } from '../src/chargepoint/policy';

/**
 * The suite's own oracle for SPEC §2: the window each measured delay must fall in, computed
 * from the policy in force. Deliberately independent of the reference charge point's code, so a
 * bug there cannot hide behind the same bug here.
 */
export interface Window {
  readonly min: number;
  readonly max: number;
  /** How the window was derived, for the report: "nominal 400 ms ± 20 %". */
  readonly explain: string;
}

/** Timing tolerance: exact on the virtual clock; ± max(absoluteMs, ratio · value) on the real clock (SPEC §10). */
export interface Tolerance {
  readonly absoluteMs: number;
  readonly ratio: number;
}

export const EXACT: Tolerance = Object.freeze({ absoluteMs: 0, ratio: 0 });
export const REAL_TIME: Tolerance = Object.freeze({ absoluteMs: 50, ratio: 0.1 });

export function slack(tolerance: Tolerance, value: number): number {
  return Math.max(tolerance.absoluteMs, tolerance.ratio * value);
}

/** Widens a window by the tolerance on both sides (never below 0). */
export function widen(window: Window, tolerance: Tolerance): Window {
  const below = slack(tolerance, window.min);
  const above = slack(tolerance, window.max);
  if (below === 0 && above === 0) return window;
  return {
    min: Math.max(0, window.min - below),
    max: window.max + above,
    explain: `${window.explain}, ± tolerance`,
  };
}

/** Nominal delay of exp-jitter attempt n (1-based), overflow-safe for any n. */
export function nominalDelay(policy: ReconnectPolicy, attempt: number): number {
  if (attempt < 1) throw new RangeError(`attempt numbers start at 1, got ${attempt}`);
  const doublings = Math.min(attempt - 1, 1100);
  return Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** doublings);
}

/** SPEC §2: delay(n) ∈ [nominal(n)·(1−r), min(max, nominal(n)·(1+r))]. */
export function expJitterWindow(policy: ReconnectPolicy, attempt: number): Window {
  const nominal = nominalDelay(policy, attempt);
  const r = policy.jitterRatio;
  const percent = Math.round(r * 100);
  return {
    min: nominal * (1 - r),
    max: Math.min(policy.maxBackoffMs, nominal * (1 + r)),
    explain:
      percent === 0
        ? `nominal ${fmt(nominal)} ms, no jitter`
        : `nominal ${fmt(nominal)} ms ± ${percent} %${nominal * (1 + r) > policy.maxBackoffMs ? `, capped at ${fmt(policy.maxBackoffMs)} ms` : ''}`,
  };
}

/**
 * OCPP 2.0.1 Part 4 §5.3 (RetryBackOff*): the first delay is W + rand(0..R); each next one is
 * twice the previous plus a fresh rand(0..R), for at most K doublings; then it stays the same.
 * Given the previous measured delay the window of the next is tight; without it (attempt 1) it
 * is [W, W + R].
 */
export function ocpp201Window(policy: ReconnectPolicy, attempt: number, previous?: number): Window {
  const w = policy.retryBackOffWaitMinimumMs;
  const r = policy.retryBackOffRandomRangeMs;
  const k = policy.retryBackOffRepeatTimes;
  if (attempt === 1 || previous === undefined) {
    return { min: w, max: w + r, explain: `wait minimum ${fmt(w)} ms + random 0–${fmt(r)} ms` };
  }
  if (attempt - 1 <= k) {
    return {
      min: 2 * previous,
      max: 2 * previous + r,
      explain: `twice the previous ${fmt(previous)} ms + random 0–${fmt(r)} ms (doubling ${attempt - 1} of ${k})`,
    };
  }
  return {
    min: previous,
    max: previous,
    explain: `same as the previous ${fmt(previous)} ms (after ${k} doublings)`,
  };
}

/** The window of attempt n under the policy's model; `previous` is the measured delay before it. */
export function backoffWindow(policy: ReconnectPolicy, attempt: number, previous?: number): Window {
  return policy.backoff === 'ocpp201'
    ? ocpp201Window(policy, attempt, previous)
    : expJitterWindow(policy, attempt);
}

export function inWindow(value: number, window: Window): boolean {
  // Timers have a resolution of 1 ms, so a delay may land up to 1 ms outside its exact bounds.
  return value >= window.min - 1 && value <= window.max + 1;
}

/** "attempt 3 reconnected after 212 ms; expected 320–480 ms (nominal 400 ms ± 20 %)" */
export function describeMeasurement(what: string, value: number, window: Window, since?: string): string {
  const measured =
    since === undefined ? `${what} after ${fmt(value)} ms` : `${what} ${fmt(value)} ms after ${since}`;
  const expected =
    window.min === window.max ? `${fmt(window.min)} ms` : `${fmt(window.min)}–${fmt(window.max)} ms`;
  return `${measured}; expected ${expected} (${window.explain})`;
}

export function fmt(ms: number): string {
  return Number.isInteger(ms) ? String(ms) : ms.toFixed(1);
}
