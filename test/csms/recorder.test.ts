import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VirtualClock } from '../../src/clock';
import { Recorder } from '../../src/csms';
import { call } from '../../src/ocpp';
import { bootedClient, closeOf, connect, startCsms, within } from './helpers';

function receiveCall(recorder: Recorder, connection: number, id: string, action: string, payload = {}) {
  const frame = call(id, action, payload);
  recorder.record('CP1', connection, { kind: 'frame', direction: 'in', text: JSON.stringify(frame), frame });
}

describe('recorder (unit)', () => {
  it('connections, calls, reconnect intervals and firstCallAfter from stamped events', () => {
    const clock = new VirtualClock(0);
    const recorder = new Recorder(clock);
    const first = recorder.beginConnection('CP1', ['ocpp1.6']);
    recorder.record('CP1', first, { kind: 'open', protocol: 'ocpp1.6', version: '1.6' });
    receiveCall(recorder, first, 'a', 'BootNotification');
    clock.advance(100);
    receiveCall(recorder, first, 'b', 'Heartbeat');
    clock.advance(900);
    recorder.record('CP1', first, { kind: 'close', code: 1000, reason: '', by: 'csms' });
    clock.advance(250);
    const second = recorder.beginConnection('CP1', ['ocpp1.6']);
    recorder.record('CP1', second, { kind: 'handshake', outcome: 'refused', status: 503 });
    clock.advance(500);
    const third = recorder.beginConnection('CP1', ['ocpp1.6']);
    recorder.record('CP1', third, { kind: 'open', protocol: 'ocpp1.6', version: '1.6' });
    receiveCall(recorder, third, 'c', 'Heartbeat');
    assert.deepEqual(recorder.reconnectIntervals('CP1'), [250, 500]);
    assert.deepEqual(
      recorder.connections('CP1').map((c) => [c.index, c.upgradeAt, c.openAt, c.closeAt, c.refusedStatus]),
      [
        [1, 0, 0, 1000, undefined],
        [2, 1250, undefined, undefined, 503],
        [3, 1750, 1750, undefined, undefined],
      ],
    );
    assert.deepEqual(
      recorder.calls('CP1', 'Heartbeat').map((c) => [c.id, c.connection, c.at]),
      [
        ['b', 1, 100],
        ['c', 3, 1750],
      ],
    );
    assert.equal(recorder.calls('CP1').length, 3);
    assert.equal(recorder.firstCallAfter('CP1', 'Heartbeat', 101)?.id, 'c');
    assert.equal(recorder.firstCallAfter('CP1', 'Heartbeat', 100)?.id, 'b');
    assert.equal(recorder.firstCallAfter('CP1', 'Heartbeat', 1751), undefined);
    assert.deepEqual(recorder.events('CP2'), []);
    assert.deepEqual(
      recorder.events().map((e) => e.seq),
      recorder.events().map((_, i) => i + 1),
    );
  });

  it('duplicates across connections: same id (any action), same action + deep-equal payload (not Heartbeat/Boot, not a StatusNotification without timestamp, not empty)', () => {
    const recorder = new Recorder(new VirtualClock(0));
    const one = recorder.beginConnection('CP1', []);
    receiveCall(recorder, one, 'id-1', 'DataTransfer', { vendorId: 'v', data: '{"seq":1}' });
    receiveCall(recorder, one, 'id-2', 'DataTransfer', { vendorId: 'v', data: '{"seq":2}' });
    receiveCall(recorder, one, 'hb-1', 'Heartbeat', {});
    receiveCall(recorder, one, 's-1', 'StatusNotification', { connectorId: 1, status: 'Available' });
    receiveCall(recorder, one, 't-1', 'StatusNotification', {
      connectorId: 1,
      status: 'Available',
      timestamp: 'T1',
    });
    receiveCall(recorder, one, 'x-1', 'MeterValues', {});
    const two = recorder.beginConnection('CP1', []);
    receiveCall(recorder, two, 'id-1', 'Heartbeat', {}); // same id
    receiveCall(recorder, two, 'id-9', 'DataTransfer', { data: '{"seq":2}', vendorId: 'v' }); // same payload, other key order
    receiveCall(recorder, two, 'hb-2', 'Heartbeat', {});
    receiveCall(recorder, two, 's-2', 'StatusNotification', { status: 'Available', connectorId: 1 });
    receiveCall(recorder, two, 't-2', 'StatusNotification', {
      timestamp: 'T1',
      status: 'Available',
      connectorId: 1,
    });
    receiveCall(recorder, two, 't-3', 'StatusNotification', {
      connectorId: 1,
      status: 'Available',
      timestamp: 'T2',
    });
    receiveCall(recorder, two, 'x-2', 'MeterValues', {});
    receiveCall(recorder, two, 'id-3', 'DataTransfer', { vendorId: 'v', data: '{"seq":3}' });
    const found = recorder.duplicates('CP1');
    assert.deepEqual(
      found.map((d) => [d.first.id, d.second.id, d.sameId, d.samePayload]),
      [
        ['id-1', 'id-1', true, false],
        ['id-2', 'id-9', false, true],
        ['t-1', 't-2', false, true],
      ],
    );
  });

  it('within one connection nothing is a cross-connection duplicate', () => {
    const recorder = new Recorder(new VirtualClock(0));
    const one = recorder.beginConnection('CP1', []);
    receiveCall(recorder, one, 'a', 'DataTransfer', { vendorId: 'v' });
    receiveCall(recorder, one, 'a', 'DataTransfer', { vendorId: 'v' });
    assert.deepEqual(recorder.duplicates('CP1'), []);
  });

  it('toJSON is plain JSON per identity', () => {
    const recorder = new Recorder(new VirtualClock(5));
    const one = recorder.beginConnection('CP1', ['ocpp1.6']);
    recorder.recordFinding('CP1', one, { kind: 'binary-frame', message: 'm', evidence: { bytes: 1 } });
    recorder.beginConnection('CP2', []);
    const json = JSON.parse(JSON.stringify(recorder.toJSON('CP1')));
    assert.equal(json.identities.length, 1);
    assert.equal(json.identities[0].identity, 'CP1');
    assert.equal(json.identities[0].findings[0].kind, 'binary-frame');
    assert.equal(json.identities[0].events.length, 2);
    assert.equal(JSON.parse(JSON.stringify(recorder.toJSON())).identities.length, 2);
  });
});

describe('recorder (over the wire, virtual clock)', () => {
  it('reconnect intervals are measured on the virtual clock from close to the next upgrade', async () => {
    const clock = new VirtualClock(10_000);
    const csms = await startCsms({ clock });
    try {
      const first = await bootedClient(csms, 'CP1');
      clock.advance(40);
      await csms.script('CP1').closeNow(1000);
      await within(3000, 'close', first.closed);
      clock.advance(300);
      csms.script('CP1').refuseUpgrade(1, 503);
      await assert.rejects(connect(csms.url('CP1')), /503/);
      clock.advance(700);
      const third = await bootedClient(csms, 'CP1');
      await third.call('Heartbeat', {});
      assert.deepEqual(csms.recorder.reconnectIntervals('CP1'), [300, 700]);
      const boot = csms.recorder.calls('CP1', 'BootNotification')[1];
      assert.equal(boot?.connection, 3);
      assert.equal(csms.recorder.firstCallAfter('CP1', 'Heartbeat', 10_000 + 40)?.connection, 3);
      const frames = csms.recorder.events('CP1').filter((e) => e.kind === 'frame');
      assert.ok(frames.every((e) => e.kind === 'frame' && e.frame !== undefined));
      await third.close();
      await closeOf(csms, 'CP1', 3);
      assert.equal(csms.recorder.connections('CP1')[2]?.closedBy, 'cp');
    } finally {
      await csms.close();
    }
  });

  it('stats count frames both ways per identity', async () => {
    const csms = await startCsms();
    try {
      const client = await bootedClient(csms, 'CP1');
      await client.call('Heartbeat', {});
      assert.deepEqual(csms.stats('CP1'), { framesSent: 2, framesReceived: 2 });
      assert.deepEqual(csms.stats('NOBODY'), { framesSent: 0, framesReceived: 0 });
    } finally {
      await csms.close();
    }
  });
});
