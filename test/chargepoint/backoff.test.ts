import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  BackoffSchedule,
  expJitterBounds,
  expJitterDelayMs,
  nominalDelayMs,
  ocpp201DelayMs,
  resolvePolicy,
} from '../../src/chargepoint';
import { seeded } from './helpers';

describe('exp-jitter back-off', () => {
  it('without jitter doubles from initial to max: 100, 200, 400, 800, 1600, 1600', () => {
    const policy = resolvePolicy({ initialBackoffMs: 100, maxBackoffMs: 1600, jitterRatio: 0 });
    const schedule = new BackoffSchedule(policy, seeded(1));
    const delays = Array.from({ length: 6 }, () => schedule.next());
    assert.deepEqual(delays, [100, 200, 400, 800, 1600, 1600]);
    assert.equal(schedule.attempt, 6);
    schedule.reset();
    assert.equal(schedule.next(), 100);
  });

  it('keeps 1 000+ seeded jittered delays per attempt inside [nominal·(1−r), min(max, nominal·(1+r))]', () => {
    const policy = resolvePolicy({ initialBackoffMs: 500, maxBackoffMs: 30_000, jitterRatio: 0.2 });
    const random = seeded(7);
    for (let n = 1; n <= 10; n++) {
      const { min, max } = expJitterBounds(policy, n);
      let lo = Number.POSITIVE_INFINITY;
      let hi = 0;
      for (let i = 0; i < 1000; i++) {
        const d = expJitterDelayMs(policy, n, random);
        assert.ok(d >= min && d <= max, `attempt ${n}: ${d} outside [${min}, ${max}]`);
        lo = Math.min(lo, d);
        hi = Math.max(hi, d);
      }
      // The jitter is really used: the samples spread over most of the range.
      assert.ok(hi - lo > 0.8 * (max - min), `attempt ${n}: spread ${lo}..${hi} too narrow`);
    }
  });

  it('at the cap (initial 1000, max 1000, r 0.2) every delay is in [800, 1000]', () => {
    const policy = resolvePolicy({ initialBackoffMs: 1000, maxBackoffMs: 1000, jitterRatio: 0.2 });
    const random = seeded(3);
    let atCap = 0;
    for (let i = 0; i < 2000; i++) {
      const d = expJitterDelayMs(policy, 1 + (i % 5), random);
      assert.ok(d >= 800 && d <= 1000, `${d} outside [800, 1000]`);
      if (d === 1000) atCap++;
    }
    assert.ok(atCap > 0, 'the upper half of the jitter is capped at max');
  });

  it('the noJitterCap fault lets a delay exceed the max (the suite must catch it)', () => {
    const policy = resolvePolicy({ initialBackoffMs: 1000, maxBackoffMs: 1000, jitterRatio: 0.2 });
    const random = seeded(3);
    const delays = Array.from({ length: 200 }, () =>
      expJitterDelayMs(policy, 1, random, { noJitterCap: true }),
    );
    assert.ok(delays.some((d) => d > 1000));
  });

  it('does not overflow: attempt 10 000 yields the max, and so does a schedule run 10 000 times', () => {
    const policy = resolvePolicy({ initialBackoffMs: 100, maxBackoffMs: 1600, jitterRatio: 0 });
    assert.equal(nominalDelayMs(policy, 10_000), 1600);
    assert.equal(
      expJitterDelayMs(policy, 10_000, () => 0.5),
      1600,
    );
    assert.equal(
      expJitterDelayMs(policy, Number.MAX_SAFE_INTEGER, () => 0.5),
      1600,
    );
    const schedule = new BackoffSchedule(policy, seeded(1));
    let last = 0;
    for (let i = 0; i < 10_000; i++) last = schedule.next();
    assert.equal(last, 1600);
    assert.equal(schedule.attempt, 10_000);
  });

  it('property: every delay lies within its attempt bounds and never above max', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (initial, extra, r, n, u) => {
          const policy = resolvePolicy({
            initialBackoffMs: initial,
            maxBackoffMs: initial + extra,
            jitterRatio: r,
          });
          const d = expJitterDelayMs(policy, n, () => u);
          const { min, max } = expJitterBounds(policy, n);
          return Number.isFinite(d) && d >= min && d <= max && d <= policy.maxBackoffMs;
        },
      ),
    );
  });
});

describe('ocpp201 back-off (TC_B_57 shape)', () => {
  const base = { backoff: 'ocpp201' as const, retryBackOffWaitMinimumMs: 3000, retryBackOffRepeatTimes: 2 };

  it('W first, doubles K times, then stays; a reset (accepted connection) starts at W again', () => {
    const policy = resolvePolicy({ ...base, retryBackOffRandomRangeMs: 0 });
    const schedule = new BackoffSchedule(policy, seeded(1));
    assert.deepEqual(
      Array.from({ length: 5 }, () => schedule.next()),
      [3000, 6000, 12_000, 12_000, 12_000],
    );
    schedule.reset();
    assert.equal(schedule.next(), 3000);
  });

  it('adds a fresh random 0..R to each doubling', () => {
    const policy = resolvePolicy({ ...base, retryBackOffRandomRangeMs: 1000 });
    const random = seeded(11);
    for (let trial = 0; trial < 500; trial++) {
      const schedule = new BackoffSchedule(policy, random);
      const [d1, d2, d3, d4] = [
        schedule.next(),
        schedule.next(),
        schedule.next(),
        schedule.next(),
      ] as number[];
      assert.ok(d1 >= 3000 && d1 <= 4000, `first ${d1}`);
      assert.ok(d2 >= 2 * d1 && d2 <= 2 * d1 + 1000, `second ${d2} after ${d1}`);
      assert.ok(d3 >= 2 * d2 && d3 <= 2 * d2 + 1000, `third ${d3} after ${d2}`);
      assert.equal(d4, d3, 'stops growing after K = 2 doublings');
    }
  });

  it('a huge repeat count never overflows', () => {
    const policy = resolvePolicy({ ...base, retryBackOffRandomRangeMs: 0, retryBackOffRepeatTimes: 100_000 });
    let prev: number | undefined;
    for (let n = 1; n <= 2000; n++) prev = ocpp201DelayMs(policy, n, prev, () => 0);
    assert.ok(Number.isFinite(prev) && (prev as number) <= 2_147_483_647);
  });
});
