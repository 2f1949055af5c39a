import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChargePointFaults, ReconnectPolicy } from '../../src/chargepoint';
import { ReconnectController, resolvePolicy } from '../../src/chargepoint';
import { VirtualClock } from '../../src/clock';
import { seeded } from './helpers';

function setup(policy: Partial<ReconnectPolicy> = {}, faults: ChargePointFaults = {}) {
  const clock = new VirtualClock(0);
  const log: string[] = [];
  let connects = 0;
  const closes: number[] = [];
  const controller = new ReconnectController({
    clock,
    policy: resolvePolicy({ initialBackoffMs: 100, maxBackoffMs: 1600, jitterRatio: 0, ...policy }),
    random: seeded(5),
    faults,
    connect: () => {
      connects++;
    },
    close: (code) => closes.push(code),
    signals: {
      onConnecting: (n) => log.push(`connecting ${n}`),
      onConnected: () => log.push('connected'),
      onClosed: (info) => log.push(`closed ${info.reason}`),
      onOnline: () => log.push('online'),
      onOffline: () => log.push('offline'),
      onBackoffScheduled: (n, ms) => log.push(`backoff ${n} ${ms}`),
    },
  });
  return { clock, controller, log, closes, connects: () => connects };
}

const dropped = { reason: 'TransportError' as const, code: 1006, detail: 'gone' };

describe('ReconnectController', () => {
  it('start → Connecting; open → Connected; close → Disconnected and offline; a second start is refused', () => {
    const { controller, connects } = setup();
    assert.equal(controller.state, 'Disconnected');
    controller.start();
    assert.equal(controller.state, 'Connecting');
    assert.throws(() => controller.start(), /already started/);
    controller.opened('ocpp1.6');
    assert.equal(controller.state, 'Connected');
    assert.throws(() => controller.start(), /already started/);
    assert.equal(connects(), 1, 'never a second socket');
    controller.closed(dropped);
    assert.equal(controller.state, 'Disconnected');
    assert.equal(controller.online, false);
    assert.throws(() => controller.start(), /already started/, 'still started while waiting to reconnect');
    assert.equal(connects(), 1);
    controller.stop();
  });

  it('a close schedules exactly one reconnect, at the back-off delay', () => {
    const { clock, controller, connects, log } = setup();
    controller.start();
    controller.opened('ocpp1.6');
    controller.closed(dropped);
    controller.closed(dropped); // a duplicate close report changes nothing
    assert.equal(clock.pendingTimers(), 1);
    assert.equal(clock.nextDueAt(), 100);
    clock.advance(99);
    assert.equal(connects(), 1);
    clock.advance(1);
    assert.equal(connects(), 2);
    assert.equal(controller.state, 'Connecting');
    assert.deepEqual(log, [
      'connecting 0',
      'connected',
      'closed TransportError',
      'backoff 1 100',
      'connecting 1',
    ]);
    controller.stop();
  });

  it('nothing connects after stop(), and stop() closes the live socket with 1000', () => {
    const { clock, controller, connects, closes } = setup();
    controller.start();
    controller.opened('ocpp1.6');
    controller.closed(dropped);
    controller.stop();
    assert.deepEqual(closes, [], 'no socket to close while waiting to reconnect');
    assert.equal(clock.pendingTimers(), 0);
    clock.advance(60_000);
    assert.equal(connects(), 1);
    assert.equal(controller.state, 'Disconnected');

    const second = setup();
    second.controller.start();
    second.controller.opened('ocpp1.6');
    second.controller.stop();
    assert.equal(second.controller.state, 'Closing');
    assert.deepEqual(second.closes, [1000]);
    second.controller.closed({ reason: 'Clean', code: 1000, detail: '' });
    assert.equal(second.controller.state, 'Disconnected');
    assert.equal(second.clock.pendingTimers(), 0, 'no reconnect scheduled after stop');
  });

  it('attempts reset on Boot Accepted, not on open: a CSMS closing after the handshake sees growing delays', () => {
    const { clock, controller, log } = setup();
    controller.start();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      controller.opened('ocpp1.6');
      controller.closed({ reason: 'Clean', code: 1000, detail: '' });
      delays.push(controller.metrics.currentBackoffMs as number);
      clock.runToNext();
    }
    assert.deepEqual(delays, [100, 200, 400, 800, 1600]);
    controller.opened('ocpp1.6');
    controller.bootAccepted();
    assert.equal(controller.metrics.attempt, 0);
    controller.closed(dropped);
    assert.equal(controller.metrics.currentBackoffMs, 100);
    assert.equal(controller.metrics.reconnectAttempts, 6);
    assert.ok(log.includes('backoff 1 100'));
    controller.stop();
  });

  it('the resetAttemptsOnOpen fault resets on open instead (the suite must catch it)', () => {
    const { clock, controller } = setup({}, { resetAttemptsOnOpen: true });
    controller.start();
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      controller.opened('ocpp1.6');
      controller.closed(dropped);
      delays.push(controller.metrics.currentBackoffMs as number);
      clock.runToNext();
    }
    assert.deepEqual(delays, [100, 100, 100]);
    controller.stop();
  });

  it('online only resumeDelayMs after Boot Accepted; on_online fires once; duration close→online measured', () => {
    const { clock, controller, log } = setup({ resumeDelayMs: 750 });
    controller.start();
    controller.opened('ocpp1.6');
    controller.bootAccepted();
    clock.advance(749);
    assert.equal(controller.online, false);
    clock.advance(1);
    assert.equal(controller.online, true);
    controller.bootAccepted(); // a second Accepted while online: no second on_online
    clock.advance(10_000);
    assert.equal(log.filter((l) => l === 'online').length, 1);
    controller.closed(dropped);
    assert.ok(log.includes('offline'));
    clock.runToNext(); // reconnect after 100 ms
    controller.opened('ocpp1.6');
    clock.advance(50);
    controller.bootAccepted();
    clock.advance(750);
    assert.equal(controller.metrics.lastReconnectDurationMs, 100 + 50 + 750);
    controller.stop();
  });

  it('a close during the resume delay cancels it', () => {
    const { clock, controller, log } = setup({ resumeDelayMs: 750 });
    controller.start();
    controller.opened('ocpp1.6');
    controller.bootAccepted();
    clock.advance(100);
    controller.closed(dropped);
    assert.equal(clock.pendingTimers(), 1, 'only the reconnect timer');
    clock.advance(1000);
    assert.equal(log.includes('online'), false);
    controller.stop();
  });

  it('skipResumeDelay and noBackoff faults', () => {
    const { clock, controller } = setup({ resumeDelayMs: 750 }, { skipResumeDelay: true, noBackoff: true });
    controller.start();
    controller.opened('ocpp1.6');
    controller.bootAccepted();
    assert.equal(controller.online, true);
    controller.closed(dropped);
    assert.equal(controller.metrics.currentBackoffMs, 0);
    assert.equal(clock.nextDueAt(), clock.now());
    controller.stop();
  });

  it('hold() keeps it offline until release()', () => {
    const { clock, controller, connects, closes } = setup();
    controller.start();
    controller.opened('ocpp1.6');
    controller.hold();
    assert.deepEqual(closes, [1000]);
    controller.closed({ reason: 'Clean', code: 1000, detail: '' });
    clock.advance(60_000);
    assert.equal(connects(), 1);
    assert.equal(controller.state, 'Disconnected');
    controller.release();
    assert.equal(connects(), 2);
    assert.equal(controller.state, 'Connecting');
    controller.stop();
  });
});

describe('ReconnectController listeners', () => {
  it('a closed listener that calls stop() leaves no reconnect; one that calls release() leaves exactly one attempt', () => {
    const clock = new VirtualClock(0);
    let connects = 0;
    const make = (onClosed: (c: ReconnectController) => void) => {
      const c: ReconnectController = new ReconnectController({
        clock,
        policy: resolvePolicy({ initialBackoffMs: 100, maxBackoffMs: 1600, jitterRatio: 0 }),
        random: () => 0.5,
        connect: () => {
          connects++;
        },
        close: () => {},
        signals: { onClosed: () => onClosed(c) },
      });
      return c;
    };
    const stopping = make((c) => c.stop());
    stopping.start();
    stopping.closed(dropped);
    assert.equal(clock.pendingTimers(), 0);
    assert.equal(connects, 1);
    const releasing = make((c) => c.release());
    releasing.start();
    releasing.closed(dropped);
    assert.equal(connects, 3, 'release() connected at once');
    assert.equal(clock.pendingTimers(), 0, 'and no reconnect timer besides');
    releasing.stop();
  });
});
