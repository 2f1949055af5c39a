import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemClock, VirtualClock } from '../src/clock';

describe('VirtualClock', () => {
  it('fires timers in due order and only when advanced', () => {
    const clock = new VirtualClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@30'), 30);
    clock.setTimeout(() => fired.push('a@10'), 10);
    clock.setTimeout(() => fired.push('c@30'), 30);
    assert.deepEqual(fired, []);
    assert.equal(clock.nextDueAt(), 1010);
    clock.advance(9);
    assert.deepEqual(fired, []);
    clock.advance(1);
    assert.deepEqual(fired, ['a@10']);
    clock.advance(100);
    assert.deepEqual(fired, ['a@10', 'b@30', 'c@30']);
    assert.equal(clock.now(), 1110);
  });

  it('runs to the next due timer and says when none is left', () => {
    const clock = new VirtualClock();
    let fired = 0;
    clock.setTimeout(() => {
      fired++;
      clock.setTimeout(() => fired++, 50);
    }, 20);
    assert.equal(clock.pendingTimers(), 1);
    assert.equal(clock.runToNext(), true);
    assert.equal(clock.now(), 20);
    assert.equal(fired, 1);
    assert.equal(clock.runToNext(), true);
    assert.equal(clock.now(), 70);
    assert.equal(fired, 2);
    assert.equal(clock.runToNext(), false);
    assert.equal(clock.pendingTimers(), 0);
  });

  it('does not fire a cleared timer', () => {
    const clock = new VirtualClock();
    let fired = false;
    const handle = clock.setTimeout(() => {
      fired = true;
    }, 5);
    clock.clearTimeout(handle);
    clock.advance(10);
    assert.equal(fired, false);
    assert.equal(clock.nextDueAt(), undefined);
  });

  it('refuses to go backwards and stops a timer that reschedules forever', () => {
    const clock = new VirtualClock();
    assert.throws(() => clock.advance(-1), RangeError);
    const loop = () => clock.setTimeout(loop, 1);
    loop();
    assert.throws(() => clock.runAll(100), /still 1 timers/);
  });

  it('two virtual clocks are independent and touch no global timer', () => {
    const a = new VirtualClock();
    const b = new VirtualClock();
    a.advance(100);
    assert.equal(a.now(), 100);
    assert.equal(b.now(), 0);
    assert.equal(typeof globalThis.setTimeout, 'function');
    assert.ok(Math.abs(Date.now() - systemClock.now()) < 1000);
  });
});

describe('systemClock', () => {
  it('fires a real timer and can cancel one', async () => {
    const cancelled = systemClock.setTimeout(() => assert.fail('cancelled timer fired'), 1);
    systemClock.clearTimeout(cancelled);
    const start = Date.now();
    await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 5));
    assert.ok(Date.now() - start >= 4);
  });
});
