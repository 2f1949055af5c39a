/**
 * Hostile networks, each against a real ChargePoint on loopback (policy timings on a virtual
 * clock; real time only where the network itself takes it, always bounded):
 * a half-open peer, a server that never completes the upgrade, the CSMS process killed and
 * restarted on the same port, a host name that does not resolve (injected lookup: no DNS
 * traffic), an untrusted TLS certificate, and HTTP 401/404/503 on upgrade.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpsServer } from 'node:https';
import {
  type AddressInfo,
  createServer as createNetServer,
  type LookupFunction,
  type Socket,
} from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generate } from 'selfsigned';
import { WebSocketServer } from 'ws';
import type { ChargePoint, ChargePointOptions } from '../../src/chargepoint';
import { TestCsms } from '../../src/csms';
import { ConnectionClosedError } from '../../src/ocpp';
import { flush } from '../chargepoint/helpers';
import {
  answerBootAndHeartbeat,
  startLoopback,
  until,
  virtualClockCp,
  waitFor,
} from '../chargepoint/loopback';
import { guardProcess } from './process-guard';

const POLICY = { initialBackoffMs: 100, maxBackoffMs: 1600, jitterRatio: 0, resumeDelayMs: 50 };

function makeCp(url: string, options: Partial<ChargePointOptions> = {}) {
  const { cp, clock } = virtualClockCp(url, { policy: POLICY, ...options }, 11);
  const closes: Array<{ reason: string; code: number; detail: string; httpStatus?: number }> = [];
  const backoffs: number[] = [];
  cp.on('closed', (info) => closes.push(info));
  cp.on('backoff', (b) => backoffs.push(b.delayMs));
  return { cp, clock, closes, backoffs };
}

describe('hostile networks', () => {
  it('half-open peer (TCP up, nothing read or answered): the missed pong drops it, then a reconnect boots again', async () => {
    const guard = guardProcess();
    let silent = true;
    const server = await startLoopback(answerBootAndHeartbeat('Accepted', 0), {
      handleProtocols: () => 'ocpp1.6',
    });
    const { cp, clock, closes, backoffs } = makeCp(server.url(), {
      pingIntervalMs: 1000,
      pongTimeoutMs: 500,
    });
    try {
      const booted = waitFor(cp, 'boot');
      cp.start();
      await booted;
      clock.advance(50);
      assert.equal(cp.online, true);
      // The peer goes half-open: its TCP socket stays up but it reads nothing any more.
      const first = server.connections[0]!;
      (first.ws as unknown as { _socket: Socket })._socket.pause();
      const inFlight = cp.call('DataTransfer', { vendorId: 'X' }).then(
        () => 'resolved',
        (e: Error) => e.name,
      );
      const closed = waitFor<[{ reason: string; detail: string }]>(cp, 'closed');
      clock.advance(1000); // ping
      clock.advance(500); // no pong
      const [info] = await closed;
      assert.equal(info.reason, 'TransportError');
      assert.match(info.detail, /no pong within 500 ms/);
      assert.equal(await inFlight, 'ConnectionClosedError', 'the pending call settles at the drop');
      assert.equal(backoffs[0], 100);
      silent = false;
      const rebooted = waitFor(cp, 'boot');
      clock.advance(100);
      await rebooted;
      clock.advance(50);
      assert.equal(cp.online, true, 'back online on a new connection');
      assert.equal(server.connections.length, 2);
      assert.equal(closes.length, 1);
      assert.deepEqual(guard.problems, []);
    } finally {
      assert.equal(silent, false);
      await cp.stop();
      await server.close();
      guard.uninstall();
    }
  });

  it('half-open peer without pings: the call timeout settles the pending call (no reconnect without a liveness check)', async () => {
    const server = await startLoopback(answerBootAndHeartbeat('Accepted', 0), {
      handleProtocols: () => 'ocpp1.6',
    });
    const { cp, clock } = makeCp(server.url(), { callTimeoutMs: 2000 });
    try {
      const booted = waitFor(cp, 'boot');
      cp.start();
      await booted;
      clock.advance(50);
      await until(() => server.connections[0]!.received.length >= 2, 'the first heartbeat');
      (server.connections[0]!.ws as unknown as { _socket: Socket })._socket.pause();
      const outcome = cp.call('DataTransfer', { vendorId: 'X' }).then(
        () => 'resolved',
        (e: Error) => e.name,
      );
      // The first heartbeat may still be in flight ahead of it (its answer unread): let it time out too.
      clock.advance(2000);
      await flush();
      clock.advance(2000);
      assert.equal(await outcome, 'CallTimeoutError');
      assert.equal(cp.online, true, 'a call timeout alone is not a drop');
    } finally {
      // The peer reads nothing, so a close handshake would wait for ws's 30 s close timer: cut it first.
      await server.close();
      await cp.stop();
    }
  });

  it('a server that accepts TCP but never completes the upgrade: connect timeout (configurable), then back-off', async () => {
    const guard = guardProcess();
    const sockets = new Set<Socket>();
    const tarpit = createNetServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    });
    tarpit.listen(0, '127.0.0.1');
    await once(tarpit, 'listening');
    const url = `ws://127.0.0.1:${(tarpit.address() as AddressInfo).port}/ocpp/CP001`;
    const { cp, clock, closes, backoffs } = makeCp(url, { connectTimeoutMs: 300 });
    try {
      const startedAt = Date.now();
      const closed = waitFor<[{ reason: string; detail: string }]>(cp, 'closed', 5000);
      cp.start();
      const [info] = await closed;
      const took = Date.now() - startedAt;
      assert.equal(info.reason, 'TransportError');
      assert.match(info.detail, /handshake has timed out/i);
      assert.ok(took >= 250 && took < 3000, `timed out after ${took} ms (configured 300)`);
      assert.deepEqual(backoffs, [100]);
      const second = waitFor(cp, 'closed', 5000);
      clock.advance(100);
      await second;
      assert.deepEqual(backoffs, [100, 200], 'the back-off grows: a tarpit is no open');
      assert.equal(closes.length, 2);
      assert.deepEqual(guard.problems, []);
    } finally {
      await cp.stop();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => tarpit.close(() => resolve()));
      guard.uninstall();
    }
  });

  it('the CSMS process is killed (SIGKILL) and restarted on the same port: the charge point comes back', async () => {
    const guard = guardProcess();
    const children: ChildProcess[] = [];
    const startCsms = async (port: number): Promise<number> => {
      const child = spawn(
        process.execPath,
        [
          '--require',
          'ts-node/register',
          join(__dirname, '../../src/csms/cli.ts'),
          '--port',
          String(port),
          '--json',
          '--interval',
          '0',
        ],
        { cwd: join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.push(child);
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.stderr?.resume();
      await until(() => out.includes('"listening"'), 'the CSMS to listen', 20_000);
      const line = out.split('\n').find((l) => l.includes('"listening"')) as string;
      return (JSON.parse(line) as { port: number }).port;
    };
    let cp: ChargePoint | undefined;
    try {
      const port = await startCsms(0);
      const made = makeCp(`ws://127.0.0.1:${port}/ocpp/KILLME`);
      cp = made.cp;
      const { clock, closes, backoffs } = made;
      const booted = waitFor(cp, 'boot', 5000);
      cp.start();
      await booted;
      clock.advance(50);
      assert.equal(cp.online, true);
      const inFlight = cp.call('DataTransfer', { vendorId: 'X' }).catch((e: Error) => e);
      const closed = waitFor<[{ reason: string }]>(cp, 'closed', 5000);
      const killed = children[0]!;
      const exited = once(killed, 'exit');
      killed.kill('SIGKILL');
      await exited;
      assert.equal((await closed)[0].reason, 'TransportError');
      const settled = await inFlight;
      assert.ok(
        settled instanceof ConnectionClosedError || !(settled instanceof Error),
        'the call in flight settles (answered or ConnectionClosed)',
      );
      // While it is down: refused, back-off grows.
      const refused = waitFor<[{ detail: string }]>(cp, 'closed', 5000);
      clock.runToNext();
      assert.match((await refused)[0].detail, /ECONNREFUSED/);
      assert.equal(backoffs.length, 2);
      assert.ok((backoffs[1] as number) > (backoffs[0] as number));
      assert.equal(await startCsms(port), port, 'restarted on the same port');
      const rebooted = waitFor(cp, 'boot', 5000);
      clock.runToNext();
      await rebooted;
      clock.advance(50);
      assert.equal(cp.online, true, 'the charge point came back');
      assert.equal(closes.length, 2);
      assert.deepEqual(guard.problems, []);
    } finally {
      await cp?.stop();
      for (const child of children) {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = once(child, 'exit');
          child.kill('SIGKILL');
          await exited;
        }
      }
      guard.uninstall();
    }
  });

  it('a host name that does not resolve (injected lookup, no DNS traffic): clear error, back-off, no crash', async () => {
    const guard = guardProcess();
    const asked: string[] = [];
    const lookup = ((hostname: string, _options: unknown, callback: (error: Error | null) => void) => {
      asked.push(hostname);
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
        hostname,
      });
      process.nextTick(() => callback(error));
    }) as unknown as LookupFunction;
    const { cp, clock, closes, backoffs } = makeCp('ws://csms.invalid:9000/ocpp/CP001', { lookup });
    try {
      for (let attempt = 1; attempt <= 3; attempt++) {
        const closed = waitFor<[{ reason: string; detail: string }]>(cp, 'closed');
        if (attempt === 1) cp.start();
        else clock.runToNext();
        const [info] = await closed;
        assert.equal(info.reason, 'TransportError');
        assert.match(info.detail, /ENOTFOUND csms\.invalid/);
      }
      assert.deepEqual(backoffs, [100, 200, 400]);
      assert.deepEqual(asked, ['csms.invalid', 'csms.invalid', 'csms.invalid']);
      assert.equal(closes.length, 3);
      assert.match(cp.metrics.lastCloseDetail ?? '', /ENOTFOUND/);
      assert.deepEqual(guard.problems, []);
    } finally {
      await cp.stop();
      guard.uninstall();
    }
  });

  it('a TLS certificate the charge point does not trust: clear error, back-off, no crash', async () => {
    const guard = guardProcess();
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const https = createHttpsServer({ key: pems.private, cert: pems.cert });
    const wss = new WebSocketServer({ server: https, handleProtocols: () => 'ocpp1.6' });
    https.listen(0, '127.0.0.1');
    await once(https, 'listening');
    const url = `wss://127.0.0.1:${(https.address() as AddressInfo).port}/ocpp/CP001`;
    const { cp, clock, backoffs } = makeCp(url);
    try {
      for (let attempt = 1; attempt <= 2; attempt++) {
        const closed = waitFor<[{ reason: string; detail: string }]>(cp, 'closed');
        if (attempt === 1) cp.start();
        else clock.runToNext();
        const [info] = await closed;
        assert.equal(info.reason, 'TransportError');
        assert.match(info.detail, /self[- ]signed certificate/i);
      }
      assert.deepEqual(backoffs, [100, 200]);
      assert.equal(wss.clients.size, 0, 'no WebSocket was opened');
      assert.deepEqual(guard.problems, []);
    } finally {
      await cp.stop();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      https.closeAllConnections();
      await new Promise<void>((resolve) => https.close(() => resolve()));
      guard.uninstall();
    }
  });

  it('HTTP 401 / 404 / 503 on upgrade (real test CSMS): back-off, status in the close detail and the metrics', async () => {
    const guard = guardProcess();
    const secured = new TestCsms({ basicAuth: { AUTHME: 'a-long-enough-key-123' } });
    const listed = new TestCsms({ allowList: ['BUSY'] });
    await secured.listen();
    await listed.listen();
    listed.script('BUSY').refuseUpgrade(2, 503);
    const cases: Array<[TestCsms, string, number, Partial<ChargePointOptions>]> = [
      [secured, 'AUTHME', 401, { basicAuth: { username: 'AUTHME', password: 'the-wrong-key-456789' } }],
      [listed, 'STRANGER', 404, {}],
      [listed, 'BUSY', 503, {}],
    ];
    const cps: ChargePoint[] = [];
    try {
      for (const [csms, identity, status, options] of cases) {
        const { cp, clock, closes, backoffs } = makeCp(csms.url(identity), options);
        cps.push(cp);
        for (let attempt = 1; attempt <= 2; attempt++) {
          const closed = waitFor(cp, 'closed');
          if (attempt === 1) cp.start();
          else clock.runToNext();
          await closed;
        }
        assert.deepEqual(
          closes.map((c) => [c.reason, c.httpStatus]),
          [
            ['TransportError', status],
            ['TransportError', status],
          ],
          identity,
        );
        assert.match(closes[0]!.detail, new RegExp(String(status)));
        assert.equal(cp.metrics.lastHttpStatus, status);
        assert.deepEqual(backoffs, [100, 200], `${identity}: back-off grows`);
        if (status === 503) {
          // The refusal was scripted for 2 attempts: the third one gets in.
          const booted = waitFor(cp, 'boot');
          clock.runToNext();
          await booted;
          assert.equal(cp.metrics.lastHttpStatus, 503, 'kept until the next close');
        }
      }
      assert.deepEqual(guard.problems, []);
    } finally {
      for (const cp of cps) await cp.stop();
      await secured.close();
      await listed.close();
      guard.uninstall();
    }
  });
});
