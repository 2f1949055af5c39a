import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChargePoint } from '../../src/chargepoint';
import {
  CallErrorResponse,
  CallTimeoutError,
  ConnectionClosedError,
  parseFrame,
  QueueFullError,
  ValidationError,
} from '../../src/ocpp';
import { bringOnline, flush, harness } from './helpers';

const dropped = { reason: 'TransportError' as const, code: 1006, detail: 'gone' };

function parsedWritten(texts: string[]): unknown[] {
  return texts.map((t) => JSON.parse(t));
}

describe('ChargePoint bring-up (SPEC §3)', () => {
  it('sends BootNotification on open; Accepted → online after the resume delay, Heartbeat at once then every interval', async () => {
    const h = harness({ policy: { resumeDelayMs: 250 } });
    const events: string[] = [];
    for (const name of ['connecting', 'connected', 'closed', 'online', 'offline', 'boot'] as const) {
      h.cp.on(name, () => events.push(name));
    }
    h.cp.start();
    assert.equal(h.cp.state, 'Connecting');
    const t = h.last();
    t.open();
    assert.equal(h.cp.state, 'Connected');
    assert.deepEqual(
      t.calls().map((c) => c.action),
      ['BootNotification'],
    );
    t.answerBoot('Accepted', 10);
    await flush();
    assert.equal(h.cp.heartbeatIntervalS, 10);
    assert.equal(h.cp.online, false);
    h.clock.advance(250);
    assert.equal(h.cp.online, true);
    assert.deepEqual(
      t.calls().map((c) => c.action),
      ['BootNotification', 'Heartbeat'],
    );
    t.reply(t.lastCall('Heartbeat'), { currentTime: new Date(0).toISOString() });
    await flush();
    h.clock.advance(10_000);
    h.clock.advance(10_000);
    assert.equal(
      t.calls().filter((c) => c.action === 'Heartbeat').length,
      2,
      'second waits behind the first',
    );
    t.reply(t.lastCall('Heartbeat'), { currentTime: new Date(0).toISOString() });
    await flush();
    assert.equal(t.calls().filter((c) => c.action === 'Heartbeat').length, 3);
    assert.deepEqual(events, ['connecting', 'connected', 'boot', 'online']);
    await h.cp.stop();
    assert.equal(h.cp.state, 'Disconnected');
    assert.equal(t.closeCode, 1000);
    assert.equal(h.clock.pendingTimers(), 0, 'no timer left after stop');
  });

  it('with resume delay 750: not online and call() rejects until 750 ms after Accepted, then online fires once', async () => {
    const h = harness({ policy: { resumeDelayMs: 750 } });
    let onlineCount = 0;
    h.cp.on('online', () => onlineCount++);
    h.cp.start();
    const t = h.last();
    t.open();
    t.answerBoot('Accepted', 60);
    await flush();
    const before = t.written.length;
    h.clock.advance(749);
    assert.equal(h.cp.online, false);
    await assert.rejects(h.cp.call('DataTransfer', { vendorId: 'X' }), ConnectionClosedError);
    assert.equal(t.written.length, before, 'nothing written while not online');
    h.clock.advance(1);
    assert.equal(h.cp.online, true);
    assert.equal(onlineCount, 1);
    h.clock.advance(5000);
    assert.equal(onlineCount, 1);
    await h.cp.stop();
  });

  it('Pending → only BootNotification, retried after the interval; Rejected likewise', async () => {
    for (const status of ['Pending', 'Rejected'] as const) {
      const h = harness();
      h.cp.start();
      const t = h.last();
      t.open();
      t.answerBoot(status, 5);
      await flush();
      h.clock.advance(4999);
      assert.equal(t.calls().length, 1);
      await assert.rejects(h.cp.call('Heartbeat', {}), ConnectionClosedError);
      h.clock.advance(1);
      assert.deepEqual(
        t.calls().map((c) => c.action),
        ['BootNotification', 'BootNotification'],
        status,
      );
      assert.equal(h.cp.online, false);
      t.answerBoot('Accepted', 60);
      await flush();
      h.clock.advance(h.cp.policy.resumeDelayMs);
      assert.equal(h.cp.online, true);
      await h.cp.stop();
    }
  });

  it('a boot CALLERROR or timeout retries the boot after the back-off delay', async () => {
    const h = harness({
      policy: { initialBackoffMs: 100, maxBackoffMs: 1600, jitterRatio: 0 },
      callTimeoutMs: 1000,
    });
    h.cp.start();
    const t = h.last();
    t.open();
    const boot = t.lastCall('BootNotification');
    t.receive(JSON.stringify([4, boot.id, 'InternalError', 'busy', {}]));
    await flush();
    h.clock.advance(99);
    assert.equal(t.calls().length, 1);
    h.clock.advance(1);
    assert.equal(t.calls().length, 2);
    h.clock.advance(1000); // timeout
    await flush();
    h.clock.advance(200); // second retry delay
    assert.equal(t.calls().length, 3);
    assert.equal(new Set(t.calls().map((c) => c.id)).size, 3, 'a retry carries a new id');
    await h.cp.stop();
  });

  it('rebootOnReconnect false → no BootNotification on reconnect; online after the resume delay', async () => {
    const h = harness({ policy: { rebootOnReconnect: false, resumeDelayMs: 300 } });
    await bringOnline(h);
    h.last().end(dropped);
    h.clock.runToNext();
    const t2 = h.last();
    assert.equal(h.transports.length, 2);
    t2.open();
    h.clock.advance(299);
    assert.equal(h.cp.online, false);
    h.clock.advance(1);
    assert.equal(h.cp.online, true);
    assert.deepEqual(
      t2.calls().map((c) => c.action),
      ['Heartbeat'],
    );
    await h.cp.stop();
  });

  it('rebootOnReconnect true → BootNotification again on reconnect', async () => {
    const h = harness();
    await bringOnline(h);
    h.last().end(dropped);
    h.clock.runToNext();
    h.last().open();
    assert.deepEqual(
      h
        .last()
        .calls()
        .map((c) => c.action),
      ['BootNotification'],
    );
    await h.cp.stop();
  });

  it('the sendBeforeBootAccepted fault writes a Heartbeat before the boot answer', () => {
    const h = harness({ faults: { sendBeforeBootAccepted: true } });
    h.cp.start();
    h.last().open();
    assert.deepEqual(
      h
        .last()
        .calls()
        .map((c) => c.action),
      ['BootNotification', 'Heartbeat'],
    );
    return h.cp.stop();
  });
});

describe('ChargePoint calls (SPEC §4)', () => {
  it('one CALL in flight; FIFO; results resolve the right call', async () => {
    const h = harness();
    const t = await bringOnline(h);
    t.reply(t.lastCall('Heartbeat'), { currentTime: new Date(0).toISOString() });
    await flush();
    const p1 = h.cp.call('DataTransfer', { vendorId: 'A', data: '1' });
    const p2 = h.cp.call('DataTransfer', { vendorId: 'A', data: '2' });
    assert.equal(t.calls().filter((c) => c.action === 'DataTransfer').length, 1);
    t.reply(t.lastCall('DataTransfer'), { status: 'Accepted', data: 'r1' });
    await flush();
    const second = t.lastCall('DataTransfer');
    assert.equal(second.payload['data'], '2');
    t.reply(second, { status: 'Rejected' });
    assert.deepEqual(await p1, { status: 'Accepted', data: 'r1' });
    assert.deepEqual(await p2, { status: 'Rejected' });
    await h.cp.stop();
  });

  it('the pipelineCalls fault writes queued CALLs at once', async () => {
    const h = harness({ faults: { pipelineCalls: true } });
    const t = await bringOnline(h);
    const calls = [
      h.cp.call('DataTransfer', { vendorId: 'A' }),
      h.cp.call('DataTransfer', { vendorId: 'B' }),
    ];
    assert.equal(t.calls().length, 4, 'boot, heartbeat, two DataTransfers');
    await h.cp.stop();
    for (const p of calls) await assert.rejects(p, ConnectionClosedError);
  });

  it('timeout rejects CallTimeoutError and a late result is ignored; the next call goes out', async () => {
    const h = harness({ callTimeoutMs: 2000 });
    const t = await bringOnline(h);
    t.reply(t.lastCall('Heartbeat'), { currentTime: new Date(0).toISOString() });
    await flush();
    const warnings: string[] = [];
    h.cp.on('warning', (e) => warnings.push(e.message));
    const p1 = h.cp.call('DataTransfer', { vendorId: 'A', data: '1' });
    const p2 = h.cp.call('DataTransfer', { vendorId: 'A', data: '2' });
    const first = t.lastCall('DataTransfer');
    h.clock.advance(2000);
    await assert.rejects(p1, CallTimeoutError);
    const second = t.lastCall('DataTransfer');
    assert.notEqual(second.id, first.id);
    t.reply(first, { status: 'Accepted' }); // late
    await flush();
    assert.ok(warnings.some((w) => w.includes(first.id)));
    t.reply(second, { status: 'Accepted' });
    assert.deepEqual(await p2, { status: 'Accepted' });
    await h.cp.stop();
  });

  it('an invalid request is never written; an invalid response rejects ValidationError; a CALLERROR rejects CallErrorResponse', async () => {
    const h = harness();
    const t = await bringOnline(h);
    t.reply(t.lastCall('Heartbeat'), { currentTime: new Date(0).toISOString() });
    await flush();
    const before = t.written.length;
    const bad = await h.cp.call('DataTransfer', { vendorId: 42 }).catch((e) => e);
    assert.ok(bad instanceof ValidationError);
    assert.match(bad.message, /vendorId/);
    await assert.rejects(h.cp.call('NoSuchAction', {}), ValidationError);
    assert.equal(t.written.length, before);
    const p = h.cp.call('DataTransfer', { vendorId: 'A' });
    t.reply(t.lastCall('DataTransfer'), { status: 'Maybe' });
    const invalid = await p.catch((e) => e);
    assert.ok(invalid instanceof ValidationError);
    assert.equal(invalid.direction, 'response');
    const p3 = h.cp.call('DataTransfer', { vendorId: 'A' });
    t.receive(JSON.stringify([4, t.lastCall('DataTransfer').id, 'NotSupported', 'no', {}]));
    const err = await p3.catch((e) => e);
    assert.ok(err instanceof CallErrorResponse);
    assert.equal(err.code, 'NotSupported');
    await h.cp.stop();
  });

  it('the queue is bounded', async () => {
    const h = harness({ queueLimit: 2 });
    const t = await bringOnline(h); // the Heartbeat is in flight
    const a = h.cp.call('DataTransfer', { vendorId: 'A' });
    const b = h.cp.call('DataTransfer', { vendorId: 'B' });
    await assert.rejects(h.cp.call('DataTransfer', { vendorId: 'C' }), QueueFullError);
    assert.equal(t.calls().length, 2);
    await h.cp.stop();
    await assert.rejects(a, ConnectionClosedError);
    await assert.rejects(b, ConnectionClosedError);
  });

  it('on close every in-flight and queued call rejects ConnectionClosedError once; nothing is re-sent after reconnect', async () => {
    const h = harness();
    const t = await bringOnline(h, 60);
    t.reply(t.lastCall('Heartbeat'), { currentTime: new Date(0).toISOString() });
    await flush();
    const settled: string[] = [];
    const calls = [1, 2, 3, 4].map((seq) =>
      h.cp.call('DataTransfer', { vendorId: 'A', messageId: `seq${seq}` }).then(
        () => settled.push(`ok${seq}`),
        (e) => settled.push(`${e.name}${seq}`),
      ),
    );
    t.reply(t.lastCall('DataTransfer'), { status: 'Accepted' }); // seq1 answered
    await flush();
    const before = t.calls().filter((c) => c.action === 'DataTransfer');
    assert.equal(before.length, 2, 'seq1 answered, seq2 in flight');
    t.end(dropped);
    await Promise.all(calls);
    assert.deepEqual(settled.sort(), [
      'ConnectionClosedError2',
      'ConnectionClosedError3',
      'ConnectionClosedError4',
      'ok1',
    ]);
    assert.equal(h.cp.online, false);
    h.clock.runToNext();
    const t2 = h.last();
    t2.open();
    t2.answerBoot('Accepted', 60);
    await flush();
    h.clock.advance(h.cp.policy.resumeDelayMs);
    h.clock.advance(120_000);
    const beforeIds = new Set(t.calls().map((c) => c.id));
    for (const c of t2.calls()) {
      assert.ok(!beforeIds.has(c.id), `id ${c.id} re-sent`);
      assert.ok(!String(c.payload['messageId'] ?? '').startsWith('seq'), 'payload re-sent');
    }
    assert.equal(settled.length, 4, 'settled exactly once');
    await h.cp.stop();
  });

  it('the resendInFlight fault re-sends the abandoned frames with their ids (the suite must catch it)', async () => {
    const h = harness({ faults: { resendInFlight: true } });
    const t = await bringOnline(h);
    const p = h.cp.call('DataTransfer', { vendorId: 'A' }).catch((e) => e);
    t.end(dropped);
    assert.ok((await p) instanceof ConnectionClosedError);
    h.clock.runToNext();
    const t2 = await bringOnline(h);
    const firstIds = new Set(t.calls().map((c) => c.id));
    assert.ok(t2.calls().some((c) => firstIds.has(c.id)));
    await h.cp.stop();
  });

  it('message ids are unique across connections and across two charge points', async () => {
    const a = harness();
    const b = harness();
    await bringOnline(a);
    await bringOnline(b);
    const ids = [...a.last().calls(), ...b.last().calls()].map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.ok(id.length <= 36);
    await a.cp.stop();
    await b.cp.stop();
  });
});

describe('ChargePoint CALLs from the CSMS (SPEC §5)', () => {
  function answers(texts: string[], id: string): unknown[] | undefined {
    return parsedWritten(texts).find((f) => Array.isArray(f) && f[1] === id && f[0] !== 2) as
      | unknown[]
      | undefined;
  }

  it('TriggerMessage Heartbeat/StatusNotification: Rejected before online, Accepted then sent once online', async () => {
    const h = harness();
    h.cp.start();
    const t = h.last();
    t.open();
    t.receive(JSON.stringify([2, 't1', 'TriggerMessage', { requestedMessage: 'Heartbeat' }]));
    assert.deepEqual(answers(t.written, 't1'), [3, 't1', { status: 'Rejected' }]);
    t.answerBoot('Accepted');
    await flush();
    h.clock.advance(h.cp.policy.resumeDelayMs);
    t.reply(t.lastCall('Heartbeat'), { currentTime: new Date(0).toISOString() });
    await flush();
    t.receive(
      JSON.stringify([2, 't2', 'TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 1 }]),
    );
    assert.deepEqual(answers(t.written, 't2'), [3, 't2', { status: 'Accepted' }]);
    const idxAnswer = t.written.findIndex((x) => x.includes('"t2"'));
    const idxStatus = t.written.findIndex((x) => x.includes('StatusNotification'));
    assert.ok(idxAnswer < idxStatus, 'answer first, then the message');
    t.receive(JSON.stringify([2, 't3', 'TriggerMessage', { requestedMessage: 'MeterValues' }]));
    assert.deepEqual(answers(t.written, 't3'), [3, 't3', { status: 'NotImplemented' }]);
    await h.cp.stop();
  });

  it('TriggerMessage BootNotification while Pending is answered and the boot sent at once', async () => {
    const h = harness();
    h.cp.start();
    const t = h.last();
    t.open();
    t.answerBoot('Pending', 300);
    await flush();
    t.receive(JSON.stringify([2, 'tb', 'TriggerMessage', { requestedMessage: 'BootNotification' }]));
    assert.deepEqual(answers(t.written, 'tb'), [3, 'tb', { status: 'Accepted' }]);
    assert.equal(t.calls().filter((c) => c.action === 'BootNotification').length, 2);
    await h.cp.stop();
  });

  it('2.0.1: TriggerMessage StatusNotification and Heartbeat are answered and sent, valid per schema', async () => {
    const h = harness({ ocppVersion: '2.0.1' });
    const warnings: string[] = [];
    h.cp.on('warning', (e) => warnings.push(e.message));
    const t = await bringOnline(h);
    t.reply(t.lastCall('Heartbeat'), { currentTime: new Date(0).toISOString() });
    await flush();
    t.receive(
      JSON.stringify([
        2,
        's1',
        'TriggerMessage',
        { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } },
      ]),
    );
    assert.deepEqual(answers(t.written, 's1'), [3, 's1', { status: 'Accepted' }]);
    const status = t.lastCall('StatusNotification');
    assert.equal(status.payload['connectorStatus'], 'Available');
    t.reply(status, {});
    await flush();
    t.receive(JSON.stringify([2, 'h1', 'TriggerMessage', { requestedMessage: 'Heartbeat' }]));
    assert.equal(t.calls().filter((c) => c.action === 'Heartbeat').length, 2);
    assert.deepEqual(warnings, []);
    await h.cp.stop();
  });

  it('2.0.1: TriggerMessage BootNotification after Accepted is Rejected (F06.FR.17)', async () => {
    const h = harness({ ocppVersion: '2.0.1' });
    const t = await bringOnline(h);
    t.receive(JSON.stringify([2, 'tb', 'TriggerMessage', { requestedMessage: 'BootNotification' }]));
    assert.deepEqual(answers(t.written, 'tb'), [3, 'tb', { status: 'Rejected' }]);
    await h.cp.stop();
  });

  it('DataTransfer answered; unknown action NotImplemented; invalid payload FormationViolation-family code', async () => {
    const h = harness();
    const t = await bringOnline(h);
    t.receive(JSON.stringify([2, 'd1', 'DataTransfer', { vendorId: 'Other' }]));
    assert.deepEqual(answers(t.written, 'd1'), [3, 'd1', { status: 'UnknownVendorId' }]);
    t.receive(JSON.stringify([2, 'd2', 'DataTransfer', { vendorId: 'OpenReconnect' }]));
    assert.deepEqual(answers(t.written, 'd2'), [3, 'd2', { status: 'Accepted' }]);
    t.receive(JSON.stringify([2, 'u1', 'FlyToTheMoon', {}]));
    assert.equal((answers(t.written, 'u1') as unknown[])[2], 'NotImplemented');
    t.receive(JSON.stringify([2, 'v1', 'DataTransfer', { vendorId: 'x', extra: 1 }]));
    assert.equal((answers(t.written, 'v1') as unknown[])[2], 'FormationViolation');
    t.receive(JSON.stringify([2, 'v2', 'DataTransfer', {}]));
    assert.equal((answers(t.written, 'v2') as unknown[])[2], 'OccurenceConstraintViolation');
    await h.cp.stop();
  });

  it('malformed frames never break the connection or a pending call', async () => {
    for (const version of ['1.6', '2.0.1'] as const) {
      const h = harness({ ocppVersion: version });
      const t = await bringOnline(h);
      const warnings: Error[] = [];
      h.cp.on('warning', (e) => warnings.push(e));
      const heartbeat = t.lastCall('Heartbeat');
      const huge = 'x'.repeat(2_000_000);
      t.receive('this is not JSON');
      t.receive(JSON.stringify([7, 'w1', {}]));
      t.receive(JSON.stringify([3, 'unknown-id', { currentTime: new Date(0).toISOString() }]));
      t.receive(JSON.stringify([3, 'unknown-id', { huge }]));
      t.receive(JSON.stringify([2, 'p1', 'DataTransfer', 'not an object']));
      t.receive(JSON.stringify([2, 42, 'DataTransfer', {}]));
      t.receive(JSON.stringify([2, 'h1', 'DataTransfer', { vendorId: 'Other', data: huge }]));
      assert.ok(warnings.length >= 5, `${version}: warnings ${warnings.length}`);
      assert.equal(h.cp.state, 'Connected');
      assert.equal(h.cp.online, true);
      const frames = parsedWritten(t.written) as unknown[][];
      const byId = (id: string) => frames.find((f) => f[1] === id && f[0] !== 2);
      assert.equal(byId('p1')?.[2], version === '1.6' ? 'FormationViolation' : 'FormatViolation');
      assert.deepEqual(byId('h1'), [3, 'h1', { status: 'UnknownVendorId' }]);
      if (version === '2.0.1') {
        assert.equal(byId('w1')?.[2], 'MessageTypeNotSupported');
        assert.ok(frames.some((f) => f[0] === 4 && f[1] === '-1' && f[2] === 'RpcFrameworkError'));
      } else {
        assert.equal(byId('w1'), undefined, '1.6 ignores an unknown message type');
        assert.ok(!frames.some((f) => f[1] === '-1'), '1.6 drops a frame whose id cannot be read');
      }
      assert.equal(byId('unknown-id'), undefined, 'a CALLRESULT is never answered');
      // The pending heartbeat is intact and completes.
      t.reply(heartbeat, { currentTime: new Date(0).toISOString() });
      await flush();
      const p = h.cp.call('DataTransfer', { vendorId: 'A' });
      t.reply(t.lastCall('DataTransfer'), { status: 'Accepted' });
      assert.deepEqual(await p, { status: 'Accepted' });
      await h.cp.stop();
    }
  });

  it("emits 'error' only when someone listens", async () => {
    const h = harness();
    const t = await bringOnline(h);
    t.receive('not json'); // no 'error' listener: must not throw
    const errors: Error[] = [];
    h.cp.on('error', (e) => errors.push(e));
    t.receive('still not json');
    assert.equal(errors.length, 1);
    await h.cp.stop();
  });
});

describe('ChargePoint control and liveness (SPEC §6)', () => {
  it('forceDrop() → TransportError and a normal reconnect', async () => {
    const h = harness({ policy: { initialBackoffMs: 100, maxBackoffMs: 1600, jitterRatio: 0 } });
    await bringOnline(h);
    const closed: string[] = [];
    h.cp.on('closed', (e) => closed.push(e.reason));
    h.cp.forceDrop();
    assert.deepEqual(closed, ['TransportError']);
    assert.equal(h.cp.metrics.lastCloseReason, 'TransportError');
    assert.equal(h.cp.metrics.currentBackoffMs, 100);
    h.clock.advance(100);
    assert.equal(h.transports.length, 2);
    await bringOnline(h);
    assert.equal(h.cp.metrics.lastReconnectDurationMs, 100 + h.cp.policy.resumeDelayMs);
    assert.equal(h.cp.metrics.reconnectAttempts, 1);
    await h.cp.stop();
  });

  it('disconnect() holds offline until connect()', async () => {
    const h = harness();
    await bringOnline(h);
    await h.cp.disconnect();
    assert.equal(h.cp.state, 'Disconnected');
    assert.equal(h.cp.online, false);
    h.clock.advance(600_000);
    assert.equal(h.transports.length, 1);
    h.cp.connect();
    assert.equal(h.transports.length, 2);
    assert.equal(h.cp.state, 'Connecting');
    await bringOnline(h);
    await h.cp.stop();
  });

  it('a second start() is refused and opens no second socket; stop() before open resolves', async () => {
    const h = harness();
    h.cp.start();
    assert.throws(() => h.cp.start(), /already started/);
    assert.equal(h.transports.length, 1);
    await h.cp.stop();
    assert.equal(h.cp.state, 'Disconnected');
    h.clock.advance(600_000);
    assert.equal(h.transports.length, 1);
  });

  it('counts frames', async () => {
    const h = harness();
    const t = await bringOnline(h);
    assert.deepEqual(h.cp.stats, { framesSent: 2, framesReceived: 1 });
    assert.equal(t.written.length, 2);
    await h.cp.stop();
  });

  it('rejects bad options with a clear error', () => {
    const make = (o: Record<string, unknown>) => () =>
      new ChargePoint({ url: 'ws://127.0.0.1:9/ocpp/CP1', ocppVersion: '1.6', ...o } as never);
    assert.throws(make({ url: 'nope' }), /url/);
    assert.throws(make({ url: 'http://127.0.0.1/ocpp/CP1' }), /ws/);
    assert.throws(make({ url: 'ws://127.0.0.1/ocpp/a:b' }), /':'/);
    assert.throws(make({ url: `ws://127.0.0.1/ocpp/${'x'.repeat(49)}` }), /48/);
    assert.throws(make({ identity: 'CP2' }), /identity/);
    assert.throws(make({ ocppVersion: '2.0' }), /ocppVersion/);
    assert.throws(make({ policy: { jitterRatio: 2 } }), /jitterRatio/);
    const cp = new ChargePoint({ url: 'ws://127.0.0.1:9/ocpp/CP%201', ocppVersion: '2.0.1' });
    assert.equal(cp.identity, 'CP 1');
    assert.equal(cp.state, 'Disconnected');
  });

  it('message ids in frames parse as OCPP-J', async () => {
    const h = harness();
    const t = await bringOnline(h);
    for (const text of t.written) assert.ok(parseFrame(text).ok);
    await h.cp.stop();
  });
});
