import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolvePolicy } from '../../src/chargepoint/policy';
import {
  backoffWindow,
  describeMeasurement,
  EXACT,
  expJitterWindow,
  inWindow,
  nominalDelay,
  ocpp201Window,
  REAL_TIME,
  widen,
} from '../../support/bounds';
import { duration, percentage, policyFromTable } from '../../support/policy-table';

describe("the suite's back-off oracle (SPEC §2)", () => {
  it('gives 100, 200, 400, 800, 1600 for initial 100, max 1600, no jitter', () => {
    const policy = resolvePolicy({ initialBackoffMs: 100, maxBackoffMs: 1600, jitterRatio: 0 });
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => expJitterWindow(policy, n)).map((w) => [w.min, w.max]),
      [
        [100, 100],
        [200, 200],
        [400, 400],
        [800, 800],
        [1600, 1600],
        [1600, 1600],
      ],
    );
  });

  it('caps the jittered window at the maximum: initial 1000, max 1000, r 0.2 → [800, 1000]', () => {
    const window = expJitterWindow(
      resolvePolicy({ initialBackoffMs: 1000, maxBackoffMs: 1000, jitterRatio: 0.2 }),
      1,
    );
    assert.deepEqual([window.min, window.max], [800, 1000]);
    assert.match(window.explain, /capped at 1000 ms/);
  });

  it('does not overflow: attempt 10 000 is the maximum', () => {
    const policy = resolvePolicy({ initialBackoffMs: 500, maxBackoffMs: 30_000 });
    assert.equal(nominalDelay(policy, 10_000), 30_000);
    assert.equal(expJitterWindow(policy, 10_000).max, 30_000);
    assert.throws(() => nominalDelay(policy, 0), RangeError);
  });

  it('follows the OCPP 2.0.1 model: W + R, then doubling + R for K attempts, then the same', () => {
    const policy = resolvePolicy({
      backoff: 'ocpp201',
      retryBackOffWaitMinimumMs: 1000,
      retryBackOffRandomRangeMs: 500,
      retryBackOffRepeatTimes: 2,
    });
    assert.deepEqual(pick(ocpp201Window(policy, 1)), [1000, 1500]);
    assert.deepEqual(pick(backoffWindow(policy, 2, 1200)), [2400, 2900]);
    assert.deepEqual(pick(backoffWindow(policy, 3, 2600)), [5200, 5700]);
    assert.deepEqual(pick(backoffWindow(policy, 4, 5300)), [5300, 5300]);
  });

  it('widens by max(50 ms, 10 %) on the real clock and not at all on the virtual one', () => {
    const window = { min: 80, max: 1200, explain: 'x' };
    assert.equal(widen(window, EXACT), window);
    assert.deepEqual(pick(widen(window, REAL_TIME)), [30, 1320]);
    assert.ok(inWindow(1201, window), 'timers have a 1 ms resolution');
    assert.ok(!inWindow(1202, window));
  });

  it('explains a measurement against its window', () => {
    const policy = resolvePolicy({ initialBackoffMs: 100, maxBackoffMs: 1600, jitterRatio: 0.2 });
    assert.equal(
      describeMeasurement('attempt 3 reconnected', 212, expJitterWindow(policy, 3)),
      'attempt 3 reconnected after 212 ms; expected 320–480 ms (nominal 400 ms ± 20 %)',
    );
  });
});

describe('policy tables in the features', () => {
  it('reads the rows a product owner writes', () => {
    const policy = policyFromTable([
      ['initial back-off', '100 ms'],
      ['maximum back-off', '1.6 s'],
      ['jitter', '±20 %'],
      ['resume delay', '750 ms'],
      ['reboot on reconnect', 'no'],
    ]);
    assert.equal(policy.initialBackoffMs, 100);
    assert.equal(policy.maxBackoffMs, 1600);
    assert.equal(policy.jitterRatio, 0.2);
    assert.equal(policy.resumeDelayMs, 750);
    assert.equal(policy.rebootOnReconnect, false);
    assert.equal(duration('2 s'), 2000);
    assert.equal(percentage('none'), 0);
  });

  it('says which row is wrong', () => {
    assert.throws(
      () => policyFromTable([['initial backoff', '100 ms']]),
      /unknown policy row "initial backoff"; known rows:/,
    );
    assert.throws(() => policyFromTable([['jitter', '20']]), /policy row "jitter": "20" is not a percentage/);
    assert.throws(() => policyFromTable([['resume delay', 'soon']]), /"soon" is not a duration/);
    assert.throws(
      () =>
        policyFromTable([
          ['initial back-off', '5 s'],
          ['maximum back-off', '1 s'],
        ]),
      /initialBackoffMs: 5000 is above maxBackoffMs 1000/,
    );
  });
});

function pick(window: { min: number; max: number }): [number, number] {
  return [window.min, window.max];
}
