import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { answerBootAndHeartbeat, startLoopback, until } from './loopback';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'src', 'chargepoint', 'cli.ts');

interface Run {
  child: ChildProcess;
  lines: () => Array<Record<string, unknown>>;
  stderr: () => string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, ['--require', 'ts-node/register', CLI, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    err += chunk;
  });
  child.stdout?.resume();
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    child,
    stderr: () => err,
    lines: () =>
      err
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l)),
    exited,
  };
}

describe('chargepoint CLI', () => {
  it('a bad flag → usage naming the flag, exit 2', async () => {
    const r = run(['--url', 'ws://127.0.0.1:9/ocpp/CP001', '--bogus-flag', '3']);
    const [code] = await r.exited;
    assert.equal(code, 2);
    assert.match(r.stderr(), /--bogus-flag/);
    assert.match(r.stderr(), /usage:/);
  });

  it('boots against a loopback server, logs JSON lines without the password, exits 0 on SIGTERM within 1 s', async () => {
    const server = await startLoopback(answerBootAndHeartbeat('Accepted', 1), {
      handleProtocols: (p) => (p.has('ocpp1.6') ? 'ocpp1.6' : false),
    });
    const r = run([
      '--url',
      server.url('CP001'),
      '--resume-delay-ms',
      '50',
      '--basic-auth',
      'CP001:TopSecret42',
    ]);
    try {
      const events = () => r.lines().map((l) => l['event']);
      await until(() => events().includes('online'), 'online', 15_000);
      await until(
        () => r.lines().filter((l) => l['event'] === 'frame-out').length >= 2,
        'first heartbeat',
        5000,
      );
      for (const line of r.lines()) {
        assert.equal(typeof line['ts'], 'number');
        assert.match(String(line['time']), /\.\d{3}Z$/);
      }
      assert.ok(events().includes('connect-attempt'));
      assert.ok(events().includes('open'));
      assert.deepEqual(
        r.lines().find((l) => l['event'] === 'boot'),
        { ...r.lines().find((l) => l['event'] === 'boot'), status: 'Accepted', intervalS: 1 },
      );
      assert.equal(
        server.connections[0]?.request.headers.authorization,
        `Basic ${Buffer.from('CP001:TopSecret42').toString('base64')}`,
      );
      const serverClosed = once(server.connections[0]!.ws, 'close');
      const sentAt = Date.now();
      r.child.kill('SIGTERM');
      const [code] = await r.exited;
      const elapsed = Date.now() - sentAt;
      assert.equal(code, 0);
      assert.ok(elapsed < 1000, `exit took ${elapsed} ms`);
      const [closeCode] = await serverClosed;
      assert.equal(closeCode, 1000);
      assert.ok(!r.stderr().includes('TopSecret42'), 'the password is never logged');
      assert.ok(events().includes('close'));
    } finally {
      if (r.child.exitCode === null) r.child.kill('SIGKILL');
      await server.close();
    }
  });

  it('after the CSMS drops it, reconnects within the back-off bounds and boots again', async () => {
    const server = await startLoopback(
      (ws, _request, received) => {
        answerBootAndHeartbeat('Accepted', 60)(ws);
        // The first connection is dropped (no close frame) once its first Heartbeat arrived.
        if (server.connections.length === 1) {
          ws.on('message', () => {
            if (received.some((t) => t.includes('"Heartbeat"'))) ws.terminate();
          });
        }
      },
      { handleProtocols: () => 'ocpp1.6' },
    );
    const r = run([
      '--url',
      server.url('CP002'),
      '--initial-backoff-ms',
      '200',
      '--max-backoff-ms',
      '1600',
      '--jitter',
      '0.2',
      '--resume-delay-ms',
      '50',
    ]);
    try {
      await until(() => r.lines().filter((l) => l['event'] === 'online').length >= 2, 'online twice', 15_000);
      const lines = r.lines();
      const close = lines.find((l) => l['event'] === 'close') as Record<string, unknown>;
      assert.equal(close['reason'], 'TransportError');
      const backoff = lines.find((l) => l['event'] === 'backoff-scheduled') as Record<string, unknown>;
      const delay = backoff['delayMs'] as number;
      assert.ok(delay >= 160 && delay <= 240, `delay ${delay} outside [160, 240]`);
      const attempts = lines.filter((l) => l['event'] === 'connect-attempt');
      const measured = (attempts[1]?.['ts'] as number) - (close['ts'] as number);
      assert.ok(Math.abs(measured - delay) <= 50, `measured ${measured} ms for a ${delay} ms back-off`);
      assert.equal(lines.filter((l) => l['event'] === 'boot').length, 2);
      assert.ok(server.connections[1]!.received[0]!.includes('BootNotification'));
      r.child.kill('SIGTERM');
      const [code] = await r.exited;
      assert.equal(code, 0);
    } finally {
      if (r.child.exitCode === null) r.child.kill('SIGKILL');
      await server.close();
    }
  });
});
