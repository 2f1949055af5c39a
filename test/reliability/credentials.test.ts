/**
 * Credentials and limits at both ends: Basic-auth passwords never reach a log, a frame log or a
 * report (CP CLI log, CSMS recorder toJSON, CSMS CLI output); a warning for an AuthorizationKey
 * shorter than 16 characters; TLS 1.2 minimum; identities over 48 characters or with ':'
 * refused; maxPayload enforced.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { generate } from 'selfsigned';
import WebSocket, { WebSocketServer } from 'ws';
import { ChargePoint, ChargePointOptionError } from '../../src/chargepoint';
import { VirtualClock } from '../../src/clock';
import { TestCsms } from '../../src/csms';
import { seeded } from '../chargepoint/helpers';
import { answerBootAndHeartbeat, startLoopback, until, waitFor } from '../chargepoint/loopback';

const ROOT = join(__dirname, '../..');
const PASSWORD = 'Correct-Horse-Battery-9f3e';
const WRONG = 'Wrong-Horse-Battery-77aa1';

/** Every form a password could leak in: itself and inside the base64 Authorization token. */
function leaks(text: string, user: string, password: string): string[] {
  const forms = [password, Buffer.from(`${user}:${password}`).toString('base64')];
  return forms.filter((f) => text.includes(f));
}

interface Spawned {
  child: ChildProcess;
  out: () => string;
  err: () => string;
}

function spawnTs(script: string, args: string[]): Spawned {
  const child = spawn(process.execPath, ['--require', 'ts-node/register', join(ROOT, script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return { child, out: () => out, err: () => err };
}

async function stopChild(s: Spawned): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = once(s.child, 'exit');
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function selfSigned() {
  return generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
}

describe('credentials never leak', () => {
  it('CP CLI log, CSMS recorder toJSON and events, CSMS CLI output (plain and --json) hold no password', async () => {
    const csms = new TestCsms({ basicAuth: { CREDCP: PASSWORD, CREDURL: PASSWORD } });
    await csms.listen();
    const events: string[] = [];
    csms.on('event', (e) => events.push(JSON.stringify(e)));
    const spawned: Spawned[] = [];
    try {
      // The charge point CLI: right password (boots), wrong password (401), password in the URL.
      const url = csms.url('CREDCP');
      const runs: Array<[string[], string, string]> = [
        [
          ['--url', url, '--basic-auth', `CREDCP:${PASSWORD}`, '--resume-delay-ms', '0'],
          '"online"',
          PASSWORD,
        ],
        [['--url', url, '--basic-auth', `CREDCP:${WRONG}`], '"backoff-scheduled"', WRONG],
        [
          [
            '--url',
            csms.url('CREDURL').replace('ws://', `ws://CREDURL:${PASSWORD}@`),
            '--resume-delay-ms',
            '0',
          ],
          '"online"',
          PASSWORD,
        ],
      ];
      for (const [args, wanted] of runs) {
        const s = spawnTs('src/chargepoint/cli.ts', args);
        spawned.push(s);
        await until(() => s.err().includes(wanted), `CP CLI line ${wanted}: ${s.err().slice(-300)}`, 20_000);
        await stopChild(s);
      }
      for (const [i, s] of spawned.entries()) {
        const [, , password] = runs[i] as [string[], string, string];
        const user = i === 2 ? 'CREDURL' : 'CREDCP';
        assert.deepEqual(leaks(s.err() + s.out(), user, password), [], `CP CLI run ${i + 1} leaks`);
        assert.match(s.err(), /frame-out|close/, 'the log is not empty');
      }
      assert.ok(csms.recorder.calls('CREDCP', 'BootNotification').length > 0, 'the right password got in');
      const report = JSON.stringify(csms.recorder.toJSON());
      for (const [user, password] of [
        ['CREDCP', PASSWORD],
        ['CREDCP', WRONG],
        ['CREDURL', PASSWORD],
      ] as const) {
        assert.deepEqual(leaks(report, user, password), [], 'recorder toJSON');
        assert.deepEqual(leaks(events.join('\n'), user, password), [], 'recorded events');
      }
    } finally {
      for (const s of spawned) await stopChild(s);
      await csms.close();
    }
  });

  it('the CSMS CLI prints no password, in plain or --json output, for a right or a wrong one', async () => {
    const clis = [
      spawnTs('src/csms/cli.ts', ['--port', '0', '--json', '--basic-auth', `CLICP:${PASSWORD}`]),
      spawnTs('src/csms/cli.ts', ['--port', '0', '--basic-auth', `CLICP:${PASSWORD}`]),
    ];
    const cps: ChargePoint[] = [];
    try {
      for (const s of clis) {
        await until(() => /listening/.test(s.out()), 'the CSMS CLI to listen', 20_000);
        const port =
          /127\.0\.0\.1:(\d+)/.exec(s.out())?.[1] ?? JSON.parse(s.out().split('\n')[0] as string).port;
        for (const password of [PASSWORD, WRONG]) {
          const cp = new ChargePoint({
            url: `ws://127.0.0.1:${port}/ocpp/CLICP`,
            ocppVersion: '1.6',
            clock: new VirtualClock(),
            basicAuth: { username: 'CLICP', password },
          });
          cps.push(cp);
          const outcome = Promise.race([waitFor(cp, 'boot', 5000), waitFor(cp, 'closed', 5000)]);
          cp.start();
          await outcome;
          await cp.stop();
        }
        await until(() => (s.out().match(/close/gi) ?? []).length >= 1, 'the CSMS CLI to log the closes');
      }
      for (const s of clis) await stopChild(s);
      for (const [i, s] of clis.entries()) {
        for (const password of [PASSWORD, WRONG]) {
          assert.deepEqual(
            leaks(s.out() + s.err(), 'CLICP', password),
            [],
            `CSMS CLI ${i ? 'plain' : '--json'}`,
          );
        }
        assert.match(s.out(), /BootNotification/, 'the output shows the traffic');
      }
    } finally {
      for (const cp of cps) await cp.stop();
      for (const s of clis) await stopChild(s);
    }
  });
});

describe('AuthorizationKey shorter than 16 characters: a warning at both ends', () => {
  it('charge point (facade and CLI log) and CSMS (warnings, event, CLI stderr); never the key itself', async () => {
    const shortKey = 'short-key-15chr';
    assert.equal(shortKey.length, 15);
    const warnings: string[] = [];
    const cp = new ChargePoint({
      url: 'ws://127.0.0.1:9/ocpp/SHORT',
      ocppVersion: '1.6',
      clock: new VirtualClock(),
      basicAuth: { username: 'SHORT', password: shortKey },
      lookup: ((_h: string, _o: unknown, cb: (e: Error) => void) =>
        process.nextTick(() => cb(new Error('no lookups here')))) as never,
    });
    cp.on('warning', (e) => warnings.push(e.message));
    const closed = waitFor(cp, 'closed');
    cp.start();
    await closed;
    await cp.stop();
    assert.equal(warnings.filter((w) => /AuthorizationKey is 15 characters.*16/.test(w)).length, 1);
    assert.ok(!warnings.join().includes(shortKey));
    const longCp = new ChargePoint({
      url: 'ws://127.0.0.1:9/ocpp/LONG',
      ocppVersion: '1.6',
      clock: new VirtualClock(),
      basicAuth: { username: 'LONG', password: 'sixteen-chars-ok' },
    });
    const longWarnings: string[] = [];
    longCp.on('warning', (e) => longWarnings.push(e.message));
    longCp.start();
    await longCp.stop();
    assert.deepEqual(
      longWarnings.filter((w) => w.includes('AuthorizationKey')),
      [],
    );

    const csms = new TestCsms({ basicAuth: { A: shortKey, B: 'sixteen-chars-ok' } });
    const emitted: string[] = [];
    csms.on('warning', (w: string) => emitted.push(w));
    await csms.listen();
    await csms.close();
    assert.equal(csms.warnings.length, 1);
    assert.match(csms.warnings[0] as string, /AuthorizationKey of A is 15 characters.*16/);
    assert.deepEqual(emitted, csms.warnings);
    assert.ok(!emitted.join().includes(shortKey));

    const csmsCli = spawnTs('src/csms/cli.ts', ['--port', '0', '--basic-auth', `SHORTCP:${shortKey}`]);
    let cpCli: Spawned | undefined;
    try {
      await until(() => /listening/.test(csmsCli.out()), 'the CSMS CLI', 20_000);
      assert.match(csmsCli.err(), /warning: .*AuthorizationKey of SHORTCP is 15 characters/);
      const port = /127\.0\.0\.1:(\d+)/.exec(csmsCli.out())?.[1];
      cpCli = spawnTs('src/chargepoint/cli.ts', [
        '--url',
        `ws://127.0.0.1:${port}/ocpp/SHORTCP`,
        '--basic-auth',
        `SHORTCP:${shortKey}`,
      ]);
      await until(() => cpCli!.err().includes('"boot"'), 'the CP CLI to boot', 20_000);
      assert.match(cpCli.err(), /"warning".*AuthorizationKey is 15 characters/);
      await stopChild(cpCli);
      await stopChild(csmsCli);
      assert.ok(
        !cpCli.err().includes(shortKey) &&
          !csmsCli.err().includes(shortKey) &&
          !csmsCli.out().includes(shortKey),
      );
    } finally {
      if (cpCli) await stopChild(cpCli);
      await stopChild(csmsCli);
    }
  });
});

describe('TLS 1.2 minimum at both ends', () => {
  it('the test CSMS refuses a TLS 1.1 client and serves a TLS 1.2 one', async () => {
    const pems = await selfSigned();
    const csms = new TestCsms({ tls: { cert: pems.cert, key: pems.private } });
    const { port } = await csms.listen();
    try {
      const attempt = (maxVersion: 'TLSv1.1' | 'TLSv1.2') =>
        new Promise<string>((resolve) => {
          const socket = tlsConnect({
            host: '127.0.0.1',
            port,
            minVersion: 'TLSv1',
            maxVersion,
            ciphers: 'DEFAULT@SECLEVEL=0',
            rejectUnauthorized: false,
          });
          socket.once('secureConnect', () => {
            resolve(`connected ${socket.getProtocol()}`);
            socket.destroy();
          });
          socket.once('error', (e: Error & { code?: string }) => resolve(`refused ${e.code ?? e.message}`));
        });
      assert.match(await attempt('TLSv1.1'), /^refused .*(PROTOCOL_VERSION|VERSION)/);
      assert.equal(await attempt('TLSv1.2'), 'connected TLSv1.2');
    } finally {
      await csms.close();
    }
  });

  it('the charge point refuses a server that speaks only TLS 1.1 (TransportError, back-off)', async () => {
    const pems = await selfSigned();
    const https = createHttpsServer({
      key: pems.private,
      cert: pems.cert,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    https.on('tlsClientError', () => {});
    const wss = new WebSocketServer({ server: https, handleProtocols: () => 'ocpp1.6' });
    https.listen(0, '127.0.0.1');
    await once(https, 'listening');
    const url = `wss://127.0.0.1:${(https.address() as AddressInfo).port}/ocpp/CP001`;
    const cp = new ChargePoint({
      url,
      ocppVersion: '1.6',
      clock: new VirtualClock(),
      tls: { ca: pems.cert },
    });
    try {
      const closed = waitFor<[{ reason: string; detail: string }]>(cp, 'closed');
      const backoff = waitFor(cp, 'backoff');
      cp.start();
      const [info] = await closed;
      assert.equal(info.reason, 'TransportError');
      assert.match(info.detail, /version|protocol/i);
      await backoff;
      assert.equal(wss.clients.size, 0);
    } finally {
      await cp.stop();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      https.closeAllConnections();
      await new Promise<void>((resolve) => https.close(() => resolve()));
    }
  });
});

describe('identities', () => {
  it('the charge point refuses an identity over 48 characters or with ":" at construction, with a clear error', () => {
    const make = (identity: string) => () =>
      new ChargePoint({ url: `ws://127.0.0.1:9/ocpp/${encodeURIComponent(identity)}`, ocppVersion: '1.6' });
    assert.throws(
      make('x'.repeat(49)),
      (e: Error) => e instanceof ChargePointOptionError && /49 characters; at most 48/.test(e.message),
    );
    assert.throws(
      make('CP:01'),
      (e: Error) => e instanceof ChargePointOptionError && /must not contain ':'/.test(e.message),
    );
    assert.doesNotThrow(make('x'.repeat(48)));
  });

  it('the test CSMS answers 404 to an identity over 48 characters or with ":" (raw or %3A)', async () => {
    const csms = new TestCsms();
    const { port } = await csms.listen();
    const status = (path: string) =>
      new Promise<number | 'open'>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ocpp/${path}`, ['ocpp1.6']);
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
          ws.terminate();
        });
        ws.on('open', () => {
          resolve('open');
          ws.terminate();
        });
        ws.on('error', () => {});
      });
    try {
      assert.equal(await status('x'.repeat(49)), 404);
      assert.equal(await status('CP:01'), 404);
      assert.equal(await status('CP%3A01'), 404);
      assert.equal(await status('x'.repeat(48)), 'open');
    } finally {
      await csms.close();
    }
  });
});

describe('maxPayload at both ends', () => {
  it('the test CSMS closes a connection that sends a frame above maxPayload (1009); smaller frames pass', async () => {
    const csms = new TestCsms({ maxPayload: 4096 });
    await csms.listen();
    const ws = new WebSocket(csms.url('BIG'), ['ocpp1.6']);
    const frames: string[] = [];
    ws.on('message', (d) => frames.push(d.toString()));
    try {
      await once(ws, 'open');
      ws.send(
        JSON.stringify([
          2,
          'ok-1',
          'BootNotification',
          { chargePointVendor: 'V'.repeat(10), chargePointModel: 'M' },
        ]),
      );
      await until(() => frames.some((f) => f.startsWith('[3,"ok-1"')), 'the boot answer');
      const closed = once(ws, 'close');
      ws.send(JSON.stringify([2, 'big-1', 'DataTransfer', { vendorId: 'V', data: 'x'.repeat(5000) }]));
      const [code] = (await closed) as [number];
      assert.equal(code, 1009);
      assert.ok(!frames.some((f) => f.includes('big-1')), 'never handled');
    } finally {
      ws.terminate();
      await csms.close();
    }
  });

  it('the charge point closes on a frame above its maxPayload (ProtocolError) and reconnects; default 1 MiB', async () => {
    let big = 2048;
    const server = await startLoopback(
      (ws) => {
        answerBootAndHeartbeat('Accepted', 0)(ws);
        ws.once('message', () =>
          ws.send(JSON.stringify([2, 'huge', 'DataTransfer', { vendorId: 'V', data: 'x'.repeat(big) }])),
        );
      },
      { handleProtocols: () => 'ocpp1.6' },
    );
    const clock = new VirtualClock();
    const small = new ChargePoint({
      url: server.url('SMALL'),
      ocppVersion: '1.6',
      clock,
      random: seeded(1),
      maxPayload: 1024,
    });
    const dflt = new ChargePoint({
      url: server.url('DEFAULT'),
      ocppVersion: '1.6',
      clock,
      random: seeded(1),
    });
    try {
      const closed = waitFor<[{ reason: string; detail: string }]>(small, 'closed');
      small.start();
      const [info] = await closed;
      assert.equal(info.reason, 'ProtocolError');
      assert.match(info.detail, /payload|length|too big/i);
      assert.equal(small.metrics.reconnectAttempts, 1, 'back-off scheduled');
      await small.stop();
      big = 1024 * 1024 + 10;
      const closedDefault = waitFor<[{ reason: string }]>(dflt, 'closed');
      dflt.start();
      assert.equal((await closedDefault)[0].reason, 'ProtocolError', 'the default limit is 1 MiB');
    } finally {
      await small.stop();
      await dflt.stop();
      await server.close();
    }
  });
});
