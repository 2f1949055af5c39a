import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VirtualClock } from '../../src/clock';
import { CallTimeoutError, ConnectionClosedError } from '../../src/ocpp';
import { bootedClient, closeOf, connect, eventOf, received, startCsms, within } from './helpers';

describe('identity script', () => {
  it('bootAnswer and bootAnswers: status and interval, one per boot, the last repeats', async () => {
    const csms = await startCsms();
    try {
      csms.script('CP1').bootAnswers([
        { status: 'Pending', intervalS: 5 },
        { status: 'Rejected', intervalS: 7 },
        { status: 'Accepted', intervalS: 42 },
      ]);
      const client = await connect(csms.url('CP1'));
      const answers = [];
      for (let i = 0; i < 4; i++)
        answers.push((await client.boot('1.6'))[2] as { status: string; interval: number });
      assert.deepEqual(
        answers.map((a) => [a.status, a.interval]),
        [
          ['Pending', 5],
          ['Rejected', 7],
          ['Accepted', 42],
          ['Accepted', 42],
        ],
      );
      csms.script('CP1').bootAnswer('Pending', 3);
      assert.equal(((await client.boot('1.6'))[2] as { status: string }).status, 'Pending');
      assert.throws(() => csms.script('CP1').bootAnswer('Accepted', -1), RangeError);
      assert.throws(() => csms.script('CP1').bootAnswer('Accepted', 1.5), RangeError);
    } finally {
      await csms.close();
    }
  });

  it('closeAfterHandshake closes the next N connections right after open with the code', async () => {
    const csms = await startCsms();
    try {
      csms.script('CP1').closeAfterHandshake(2, 4000);
      for (const n of [1, 2]) {
        const client = await connect(csms.url('CP1'));
        assert.equal((await within(3000, 'close', client.closed)).code, 4000);
        const close = await closeOf(csms, 'CP1', n);
        assert.deepEqual([close.code, close.by], [4000, 'csms']);
      }
      const third = await connect(csms.url('CP1'));
      assert.equal((await third.boot('1.6'))[0], 3);
      assert.equal(csms.isConnected('CP1'), true);
    } finally {
      await csms.close();
    }
  });

  it('closeOnMessage closes on the Nth CALL of the action, before answering it, once', async () => {
    const csms = await startCsms();
    try {
      const client = await bootedClient(csms, 'CP1');
      csms.script('CP1').closeOnMessage(2, { action: 'DataTransfer', code: 4001 });
      await client.call('Heartbeat', {});
      await client.call('DataTransfer', { vendorId: 'a', data: '1' });
      client.sendCall('DataTransfer', { vendorId: 'a', data: '2' }, 'dt-2');
      const closed = await within(3000, 'close', client.closed);
      assert.equal(closed.code, 4001);
      assert.equal(client.received.filter((f) => f[1] === 'dt-2').length, 0);
      const again = await bootedClient(csms, 'CP1');
      await again.call('DataTransfer', { vendorId: 'a', data: '3' });
      await again.call('DataTransfer', { vendorId: 'a', data: '4' });
      assert.equal(csms.isConnected('CP1'), true);
    } finally {
      await csms.close();
    }
  });

  it('closeOnMessage with terminate: no close frame (the client sees 1006)', async () => {
    const csms = await startCsms();
    try {
      const client = await bootedClient(csms, 'CP1');
      csms.script('CP1').closeOnMessage(1, { terminate: true });
      client.sendCall('Heartbeat', {});
      assert.equal((await within(3000, 'close', client.closed)).code, 1006);
      const close = await closeOf(csms, 'CP1', 1);
      assert.equal(close.by, 'csms');
    } finally {
      await csms.close();
    }
  });

  it('closeAfter closes ms after open on the virtual clock; set before connecting it applies to the next one', async () => {
    const clock = new VirtualClock(1000);
    const csms = await startCsms({ clock });
    try {
      csms.script('CP1').closeAfter(500, { code: 4002 });
      const client = await bootedClient(csms, 'CP1');
      clock.advance(499);
      await client.call('Heartbeat', {});
      assert.equal(csms.isConnected('CP1'), true);
      clock.advance(1);
      assert.equal((await within(3000, 'close', client.closed)).code, 4002);
      const close = await closeOf(csms, 'CP1', 1);
      assert.equal(close.at, 1500);
      const second = await bootedClient(csms, 'CP1');
      csms.script('CP1').closeAfter(100, { terminate: true });
      clock.advance(100);
      assert.equal((await within(3000, 'close', second.closed)).code, 1006);
    } finally {
      await csms.close();
    }
  });

  it('closeNow and terminateNow resolve when the socket is closed', async () => {
    const csms = await startCsms();
    try {
      const a = await bootedClient(csms, 'CP1');
      await within(3000, 'closeNow', csms.script('CP1').closeNow(4003, 'bye'));
      assert.equal(csms.isConnected('CP1'), false);
      assert.deepEqual(await within(3000, 'close', a.closed), { code: 4003, reason: 'bye' });
      const b = await bootedClient(csms, 'CP1');
      await within(3000, 'terminateNow', csms.script('CP1').terminateNow());
      assert.equal((await within(3000, 'close', b.closed)).code, 1006);
      const records = csms.recorder.connections('CP1');
      assert.deepEqual(
        records.map((r) => [r.closeCode, r.closedBy]),
        [
          [4003, 'csms'],
          [1006, 'csms'],
        ],
      );
      await csms.script('CP1').closeNow(); // nothing open: resolves at once
    } finally {
      await csms.close();
    }
  });

  it('delayAnswers answers after ms on the clock; 0 stops delaying', async () => {
    const clock = new VirtualClock(0);
    const csms = await startCsms({ clock });
    try {
      const client = await bootedClient(csms, 'CP1');
      csms.script('CP1').delayAnswers(2000);
      client.sendCall('Heartbeat', {}, 'hb');
      await received(csms, 'hb');
      clock.advance(1999);
      assert.equal(client.received.filter((f) => f[1] === 'hb').length, 0);
      clock.advance(1);
      const answer = await client.answerTo('hb');
      assert.equal((answer[2] as { currentTime: string }).currentTime, new Date(2000).toISOString());
      csms.script('CP1').delayAnswers(0);
      assert.equal((await client.call('Heartbeat', {}))[0], 3);
    } finally {
      await csms.close();
    }
  });

  it('withholdAnswers never answers the action while set (and a CP that moves on is no finding)', async () => {
    const csms = await startCsms();
    try {
      const client = await bootedClient(csms, 'CP1');
      csms.script('CP1').withholdAnswers('DataTransfer');
      client.sendCall('DataTransfer', { vendorId: 'a' }, 'dt');
      await received(csms, 'dt');
      assert.equal((await client.call('Heartbeat', {}))[0], 3);
      assert.equal(client.received.filter((f) => f[1] === 'dt').length, 0);
      csms.script('CP1').withholdAnswers('DataTransfer', false);
      assert.equal((await client.call('DataTransfer', { vendorId: 'a' }))[0], 3);
      assert.deepEqual(csms.recorder.findings('CP1'), []);
    } finally {
      await csms.close();
    }
  });

  it('answerInvalid sends a schema-invalid answer marked deliberate, not a finding, `times` times', async () => {
    const csms = await startCsms();
    try {
      const client = await bootedClient(csms, 'CP1', '2.0.1');
      csms.script('CP1').answerInvalid('Heartbeat', 1).answerInvalid('StatusNotification');
      const invalid = await client.call('Heartbeat', {});
      assert.equal(invalid[0], 3);
      assert.equal((invalid[2] as Record<string, unknown>)['currentTime'], undefined);
      const valid = await client.call('Heartbeat', {});
      assert.equal(typeof (valid[2] as Record<string, unknown>)['currentTime'], 'string');
      const status = await client.call('StatusNotification', {
        timestamp: new Date(0).toISOString(),
        connectorStatus: 'Available',
        evseId: 1,
        connectorId: 1,
      });
      assert.deepEqual(Object.keys(status[2] as object), ['unexpectedField']);
      const marked = csms.recorder.events('CP1').filter((e) => e.kind === 'frame' && e.deliberateInvalid);
      assert.equal(marked.length, 2);
      assert.deepEqual(csms.recorder.findings('CP1'), []);
    } finally {
      await csms.close();
    }
  });

  it('sendCall: result, validation before sending, not connected, timeout on the clock, closed while waiting', async () => {
    const clock = new VirtualClock(0);
    const csms = await startCsms({ clock });
    const script = csms.script('CP1');
    try {
      await assert.rejects(script.sendCall('Reset', { type: 'Hard' }), ConnectionClosedError);
      const client = await bootedClient(csms, 'CP1');
      const sentBefore = csms.stats('CP1').framesSent;
      await assert.rejects(script.sendCall('TriggerMessage', { requestedMessage: 'Nope' }), {
        name: 'ValidationError',
      });
      await assert.rejects(script.sendCall('NoSuchAction', {}), { name: 'ValidationError' });
      assert.equal(csms.stats('CP1').framesSent, sentBefore);
      const answered = script.sendCall('DataTransfer', { vendorId: 'acme', data: 'x' });
      const request = await client.next((f) => f[2] === 'DataTransfer');
      client.send([3, request[1], { status: 'Accepted', data: 'y' }]);
      assert.deepEqual(await within(3000, 'result', answered), { status: 'Accepted', data: 'y' });
      const timingOut = script.sendCall('DataTransfer', { vendorId: 'acme' }, { timeoutMs: 1000 });
      const late = await client.next((f) => f[2] === 'DataTransfer' && f[1] !== request[1]);
      clock.advance(1000);
      await assert.rejects(within(3000, 'timeout', timingOut), CallTimeoutError);
      client.send([3, late[1], { status: 'Accepted' }]); // a late answer: no finding
      const waiting = script.sendCall('DataTransfer', { vendorId: 'acme' });
      await client.next((f) => f[2] === 'DataTransfer' && f[1] !== request[1] && f[1] !== late[1]);
      const rejected = assert.rejects(within(3000, 'closed', waiting), ConnectionClosedError);
      await client.close();
      await rejected;
      assert.deepEqual(csms.recorder.findings('CP1'), []);
      assert.equal(clock.pendingTimers(), 0);
    } finally {
      await csms.close();
    }
  });

  it('reset restores the default behaviour', async () => {
    const csms = await startCsms();
    try {
      const script = csms.script('CP1');
      script.bootAnswer('Rejected', 9).withholdAnswers('Heartbeat').refuseUpgrade(3, 500).reset();
      const client = await bootedClient(csms, 'CP1');
      assert.equal((await client.call('Heartbeat', {}))[0], 3);
      const boot = csms.recorder.events('CP1').find((e) => e.kind === 'frame' && e.direction === 'out');
      assert.ok(boot?.kind === 'frame');
      assert.match(boot.text, /"Accepted"/);
    } finally {
      await csms.close();
    }
  });
});

describe('pings', () => {
  it('startPings: a client that pongs stays; one that does not is terminated (pong timeout) on the clock', async () => {
    const clock = new VirtualClock(0);
    const csms = await startCsms({ clock });
    try {
      const alive = await bootedClient(csms, 'ALIVE');
      csms.script('ALIVE').startPings(1000, 500);
      clock.advance(1000);
      await eventOf(csms, (e) => e.kind === 'pong' && e.identity === 'ALIVE', 'a pong');
      clock.advance(500);
      assert.equal(csms.isConnected('ALIVE'), true);
      csms.script('ALIVE').stopPings();

      const dead = await bootedClient(csms, 'DEAD');
      dead.ws.pong = () => {}; // this client never answers pings
      (
        dead.ws as unknown as { _receiver: { removeAllListeners(e: string): void } }
      )._receiver.removeAllListeners('ping');
      const start = clock.now();
      csms.script('DEAD').startPings(1000, 500);
      clock.advance(1000);
      await eventOf(csms, (e) => e.kind === 'ping' && e.identity === 'DEAD', 'a ping');
      clock.advance(500);
      const close = await closeOf(csms, 'DEAD', 1);
      assert.deepEqual([close.by, close.reason, close.at], ['csms', 'pong timeout', start + 1500]);
      assert.equal((await within(3000, 'close', dead.closed)).code, 1006);
      assert.equal(csms.isConnected('ALIVE'), true);
      assert.equal(alive.ws.readyState, alive.ws.OPEN);
      assert.equal(clock.pendingTimers(), 0);
    } finally {
      await csms.close();
    }
  });

  it('answerPings(false) stops answering the charge point pings; true answers again', async () => {
    const csms = await startCsms();
    try {
      const client = await bootedClient(csms, 'CP1');
      const pongs: number[] = [];
      client.ws.on('pong', () => pongs.push(1));
      const pong = () =>
        within(
          3000,
          'pong',
          new Promise<void>((resolve) => {
            client.ws.once('pong', () => resolve());
          }),
        );
      client.ws.ping();
      await pong();
      csms.script('CP1').answerPings(false);
      client.ws.ping();
      await client.call('Heartbeat', {});
      assert.equal(pongs.length, 1);
      csms.script('CP1').answerPings(true);
      client.ws.ping();
      await pong();
    } finally {
      await csms.close();
    }
  });
});
