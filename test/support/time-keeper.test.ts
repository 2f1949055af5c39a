import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemClock, VirtualClock } from '../../src/clock';
import { type Probe, TimeKeeper, WaitTimeoutError } from '../../support/time-keeper';

/** A probe whose busyness, activity and failure the test sets by hand. */
function probe(): Probe & {
  busyWith: string[];
  moved: number;
  dead: string | undefined;
  listeners: Set<() => void>;
} {
  const p = {
    busyWith: [] as string[],
    moved: 0,
    dead: undefined as string | undefined,
    listeners: new Set<() => void>(),
    busy: () => p.busyWith,
    activity: () => p.moved,
    failure: () => p.dead,
    subscribe: (listener: () => void) => {
      p.listeners.add(listener);
      return () => p.listeners.delete(listener);
    },
  };
  return p;
}

describe('TimeKeeper on the virtual clock', () => {
  it('fires timers one by one and stops at the exact instant the condition comes true', async () => {
    const clock = new VirtualClock(0);
    const keeper = new TimeKeeper(clock, probe());
    const fired: number[] = [];
    for (const at of [300, 100, 200]) clock.setTimeout(() => fired.push(at), at);
    const seen = await keeper.waitFor('the second timer', 1000, () =>
      fired.length >= 2 ? clock.now() : undefined,
    );
    assert.equal(seen, 200);
    assert.deepEqual(fired, [100, 200]);
    assert.equal(clock.now(), 200, 'the third timer has not fired');
  });

  it('fails with what it waited for and what it saw, at the deadline', async () => {
    const clock = new VirtualClock(0);
    const keeper = new TimeKeeper(clock, probe());
    clock.setTimeout(() => undefined, 5000);
    await assert.rejects(
      keeper.waitFor(
        'a reconnect',
        1000,
        () => undefined,
        () => 'two closes',
      ),
      (error: Error) =>
        error instanceof WaitTimeoutError &&
        /a reconnect: not seen within 1000 ms.*seen: two closes/.test(error.message),
    );
    assert.equal(clock.now(), 1000, 'time stopped at the deadline, not at the next timer');
  });

  it('lets exactly the given time pass', async () => {
    const clock = new VirtualClock(0);
    const keeper = new TimeKeeper(clock, probe());
    let ticks = 0;
    const tick = () => {
      ticks++;
      clock.setTimeout(tick, 100);
    };
    clock.setTimeout(tick, 100);
    await keeper.pass(550);
    assert.equal(clock.now(), 550);
    assert.equal(ticks, 5);
  });

  it('does not move time while real I/O is under way, and gives up on it within a bound', async () => {
    const clock = new VirtualClock(0);
    const p = probe();
    p.busyWith = ['charge point'];
    const keeper = new TimeKeeper(clock, p);
    clock.setTimeout(() => undefined, 10);
    await assert.rejects(keeper.settle(), /did not become quiescent within \d+ ms \(busy: charge point\)/);
    assert.equal(clock.now(), 0);
  });

  it('ends a wait at once when the charge point under test is gone', async () => {
    const clock = new VirtualClock(0);
    const p = probe();
    p.dead = 'the process exited with code 1';
    const keeper = new TimeKeeper(clock, p);
    clock.setTimeout(() => undefined, 10_000);
    await assert.rejects(
      keeper.waitFor('a reconnect', 60_000, () => undefined),
      /a reconnect: cannot happen any more: the process exited with code 1/,
    );
    assert.equal(clock.now(), 0);
  });
});

describe('TimeKeeper on the system clock', () => {
  it('resolves on the event that makes the condition true, well before the deadline', async () => {
    const p = probe();
    const keeper = new TimeKeeper(systemClock, p);
    let ready = false;
    const start = Date.now();
    setImmediate(() => {
      ready = true;
      for (const listener of p.listeners) listener();
    });
    assert.equal(await keeper.waitFor('ready', 5000, () => (ready ? 'yes' : undefined)), 'yes');
    assert.ok(Date.now() - start < 1000);
    assert.equal(p.listeners.size, 0, 'it unsubscribed');
  });

  it('fails at the deadline with what it waited for', async () => {
    const keeper = new TimeKeeper(systemClock, probe());
    await assert.rejects(
      keeper.waitFor('never', 30, () => undefined),
      /never: not seen within 30 ms/,
    );
  });
});
