import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import type { ChargePointOptions } from '../../src/chargepoint';
import { answerBootAndHeartbeat, startLoopback, until, virtualClockCp, waitFor } from './loopback';

const makeCp = (url: string, options: Partial<ChargePointOptions> = {}) => virtualClockCp(url, options);

describe('transport over a real loopback ws server', () => {
  it('boots, goes online after the resume delay, heartbeats, and stop() closes with 1000', async () => {
    const server = await startLoopback(answerBootAndHeartbeat('Accepted', 30), {
      handleProtocols: (protocols) => (protocols.has('ocpp1.6') ? 'ocpp1.6' : false),
    });
    const { cp, clock } = makeCp(server.url());
    try {
      const booted = waitFor<[{ status: string }]>(cp, 'boot');
      cp.start();
      assert.equal(cp.ioPending(), true, 'the connect attempt is real I/O');
      const [boot] = await booted;
      assert.equal(boot.status, 'Accepted');
      assert.equal(cp.state, 'Connected');
      clock.advance(250);
      assert.equal(cp.online, true);
      await until(
        () => server.connections[0]?.received.some((t) => t.includes('"Heartbeat"')) ?? false,
        'heartbeat',
      );
      const serverClosed = once(server.connections[0]!.ws, 'close');
      await cp.stop();
      const [code] = await serverClosed;
      assert.equal(code, 1000);
      assert.equal(cp.state, 'Disconnected');
      assert.equal(clock.pendingTimers(), 0);
      assert.equal(server.connections.length, 1, 'one socket only');
    } finally {
      await cp.stop();
      await server.close();
    }
  });

  it('a server that does not agree to the subprotocol → ProtocolError and back-off', async () => {
    for (const answer of [false, 'ocpp2.0.1'] as const) {
      const server = await startLoopback(() => {}, { handleProtocols: () => answer });
      const { cp, clock } = makeCp(server.url());
      try {
        const closed = waitFor<[{ reason: string; detail: string }]>(cp, 'closed');
        const backoff = waitFor<[{ delayMs: number }]>(cp, 'backoff');
        cp.start();
        const [info] = await closed;
        assert.equal(info.reason, 'ProtocolError', info.detail);
        assert.equal((await backoff)[0].delayMs, 100);
        assert.equal(cp.metrics.lastCloseReason, 'ProtocolError');
        const reconnecting = waitFor(cp, 'connecting');
        clock.advance(100);
        await reconnecting;
      } finally {
        await cp.stop();
        await server.close();
      }
    }
  });

  it('abrupt server termination → TransportError and a reconnect that boots again', async () => {
    const server = await startLoopback(answerBootAndHeartbeat(), { handleProtocols: () => 'ocpp1.6' });
    const { cp, clock } = makeCp(server.url());
    try {
      const booted = waitFor(cp, 'boot');
      cp.start();
      await booted;
      clock.advance(250);
      const closed = waitFor<[{ reason: string; code: number }]>(cp, 'closed');
      server.connections[0]!.ws.terminate();
      const [info] = await closed;
      assert.equal(info.reason, 'TransportError');
      assert.equal(info.code, 1006);
      assert.equal(cp.online, false);
      assert.equal(cp.metrics.currentBackoffMs, 100);
      const bootedAgain = waitFor(cp, 'boot');
      clock.advance(100);
      await bootedAgain;
      assert.equal(server.connections.length, 2);
      assert.ok(server.connections[1]!.received[0]!.includes('BootNotification'));
    } finally {
      await cp.stop();
      await server.close();
    }
  });

  it('a clean server close (1000) → Clean', async () => {
    const server = await startLoopback((ws) => ws.close(1000, 'bye'), { handleProtocols: () => 'ocpp1.6' });
    const { cp } = makeCp(server.url());
    try {
      const closed = waitFor<[{ reason: string; code: number }]>(cp, 'closed');
      cp.start();
      const [info] = await closed;
      assert.equal(info.reason, 'Clean');
      assert.equal(info.code, 1000);
    } finally {
      await cp.stop();
      await server.close();
    }
  });

  it('nothing listening (ECONNREFUSED) → TransportError and growing back-off', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { cp, clock } = makeCp(`ws://127.0.0.1:${port}/ocpp/CP001`);
    try {
      const delays: number[] = [];
      cp.on('backoff', (e) => delays.push(e.delayMs));
      for (let i = 0; i < 3; i++) {
        const closed = waitFor<[{ reason: string; detail: string }]>(cp, 'closed');
        if (i === 0) cp.start();
        else clock.runToNext();
        const [info] = await closed;
        assert.equal(info.reason, 'TransportError');
        assert.match(info.detail, /ECONNREFUSED/);
      }
      assert.deepEqual(delays, [100, 200, 400]);
    } finally {
      await cp.stop();
    }
  });

  it('a missed pong terminates the socket (TransportError) and a reconnect follows', async () => {
    const server = await startLoopback(answerBootAndHeartbeat(), {
      handleProtocols: () => 'ocpp1.6',
      autoPong: false,
    });
    const { cp, clock } = makeCp(server.url(), { pingIntervalMs: 1000, pongTimeoutMs: 500 });
    try {
      const booted = waitFor(cp, 'boot');
      cp.start();
      await booted;
      const pinged = waitFor(server.connections[0]!.ws, 'ping');
      clock.advance(1000);
      await pinged;
      const closed = waitFor<[{ reason: string; detail: string }]>(cp, 'closed');
      clock.advance(500);
      const [info] = await closed;
      assert.equal(info.reason, 'TransportError');
      assert.match(info.detail, /pong/);
      const reconnected = waitFor(cp, 'connected');
      clock.advance(100);
      await reconnected;
    } finally {
      await cp.stop();
      await server.close();
    }
  });

  it('a pong in time keeps the connection', async () => {
    // After the automatic pong, the server sends a probe CALL: once the charge point has handled
    // the probe, it has read the pong before it (frames arrive in order).
    let probes = 0;
    const server = await startLoopback(
      (ws) => {
        answerBootAndHeartbeat()(ws);
        ws.on('ping', () =>
          ws.send(JSON.stringify([2, `probe${++probes}`, 'DataTransfer', { vendorId: 'probe' }])),
        );
      },
      { handleProtocols: () => 'ocpp1.6' },
    );
    const { cp, clock } = makeCp(server.url(), { pingIntervalMs: 1000, pongTimeoutMs: 500 });
    try {
      let closes = 0;
      cp.on('closed', () => closes++);
      const booted = waitFor(cp, 'boot');
      cp.start();
      await booted;
      for (let i = 1; i <= 3; i++) {
        const probed = new Promise<void>((resolve) => {
          const listener = (e: { direction: string; text: string }) => {
            if (e.direction === 'in' && e.text.includes(`probe${i}`)) {
              cp.off('frame', listener);
              resolve();
            }
          };
          cp.on('frame', listener);
        });
        clock.advance(i === 1 ? 1000 : 500); // exactly to the next ping
        await Promise.race([probed, waitFor(cp, 'closed', 3000)]);
        assert.equal(closes, 0, `closed before probe ${i}`);
        clock.advance(500); // to the moment the pong timer was due

        assert.equal(cp.state, 'Connected', `after ping ${i}`);
      }
      assert.equal(probes, 3);
      assert.equal(server.connections.length, 1);
    } finally {
      await cp.stop();
      await server.close();
    }
  });

  it('sends Basic auth; a refused upgrade (401) is a TransportError with back-off', async () => {
    const server = await startLoopback(() => {}, {
      handleProtocols: () => 'ocpp1.6',
      verifyClient: (info, done) => {
        const ok =
          info.req.headers.authorization === `Basic ${Buffer.from('CP001:s3cret').toString('base64')}`;
        done(ok, 401);
      },
    });
    const good = makeCp(server.url(), { basicAuth: { username: 'CP001', password: 's3cret' } });
    const bad = makeCp(server.url(), { basicAuth: { username: 'CP001', password: 'wrong' } });
    try {
      const connected = waitFor(good.cp, 'connected');
      good.cp.start();
      await connected;
      const closed = waitFor<[{ reason: string; detail: string }]>(bad.cp, 'closed');
      bad.cp.start();
      const [info] = await closed;
      assert.equal(info.reason, 'TransportError');
      assert.match(info.detail, /401/);
      assert.equal(bad.cp.metrics.currentBackoffMs, 100);
    } finally {
      await good.cp.stop();
      await bad.cp.stop();
      await server.close();
    }
  });
});
