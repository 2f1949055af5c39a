import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { describe, it } from 'node:test';
import { bootedClient, closeOf, findingOf, startCsms, within } from './helpers';

describe('bad input never crashes the server nor affects other connections', () => {
  it('binary frame, 10 MB frame, invalid UTF-8, garbage, unknown action', async () => {
    const csms = await startCsms();
    try {
      const bystander = await bootedClient(csms, 'BYSTANDER');
      const binary = await bootedClient(csms, 'BIN');
      binary.ws.send(Buffer.alloc(1000, 7), { binary: true });
      await findingOf(csms, 'BIN', 'binary-frame');
      assert.equal((await binary.call('Heartbeat', {}))[0], 3);

      const big = await bootedClient(csms, 'BIG');
      big.sendCall('DataTransfer', { vendorId: 'v', data: 'x'.repeat(10 * 1024 * 1024) });
      assert.equal((await closeOf(csms, 'BIG', 1)).code, 1009);
      await findingOf(csms, 'BIG', 'message-too-big');

      const utf8 = await bootedClient(csms, 'UTF8');
      utf8.ws.send(Buffer.from([0x5b, 0xff, 0xfe, 0x5d]), { binary: false });
      assert.equal((await closeOf(csms, 'UTF8', 1)).code, 1007);
      await findingOf(csms, 'UTF8', 'malformed-frame');

      const garbage = await bootedClient(csms, 'GARBAGE');
      for (const text of [
        '',
        'null',
        '{}',
        '[]',
        '[2]',
        '[2,1,"Heartbeat",{}]',
        `[2,"${'x'.repeat(40)}","A",{}]`,
        '\u0000',
      ]) {
        garbage.send(text);
      }
      assert.equal((await garbage.call('Heartbeat', {}))[0], 3);
      assert.equal(csms.recorder.findings('GARBAGE').length, 8);

      const unknown = await bootedClient(csms, 'UNKNOWN');
      assert.equal((await unknown.call('FlyToTheMoon', { now: true }))[2], 'NotImplemented');

      assert.equal((await bystander.call('Heartbeat', {}))[0], 3);
      assert.deepEqual(csms.recorder.findings('BYSTANDER'), []);
      assert.equal(csms.isConnected('BYSTANDER'), true);
    } finally {
      await csms.close();
    }
  });

  it('200 concurrent connections boot and heartbeat with validation on', async () => {
    const csms = await startCsms();
    try {
      const identities = Array.from({ length: 200 }, (_, i) => `CP${String(i).padStart(3, '0')}`);
      const clients = await within(
        20_000,
        '200 boots',
        Promise.all(identities.map((id, i) => bootedClient(csms, id, i % 2 === 0 ? '1.6' : '2.0.1'))),
      );
      const answers = await within(
        20_000,
        '200 heartbeats',
        Promise.all(clients.map((c) => c.call('Heartbeat', {}))),
      );
      assert.ok(answers.every((a) => a[0] === 3));
      assert.deepEqual(csms.recorder.findings(), []);
      assert.equal(identities.filter((id) => csms.isConnected(id)).length, 200);
    } finally {
      await csms.close();
    }
  });

  it('close() releases every socket and timer: a process that used a CSMS exits on its own', async () => {
    const fixture = path.join(__dirname, 'fixtures', 'open-and-close.ts');
    const child = spawn(process.execPath, ['--require', 'ts-node/register', fixture], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    let timer: NodeJS.Timeout | undefined;
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    const killer = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the process did not exit on its own; output: ${out}`));
      }, 15_000);
    });
    try {
      const [code] = await Promise.race([exited, killer]);
      assert.equal(code, 0);
      assert.match(out, /closed ConnectionClosedError [23]/);
    } finally {
      clearTimeout(timer);
    }
  });

  it('two CSMSs in one process are independent', async () => {
    const a = await startCsms();
    const b = await startCsms();
    try {
      a.script('CP1').bootAnswer('Rejected', 5);
      const ca = await bootedClient(a, 'CP1');
      const cb = await bootedClient(b, 'CP1');
      assert.equal((a.recorder.events('CP1').at(-1) as { text: string }).text.includes('Rejected'), true);
      assert.equal((b.recorder.events('CP1').at(-1) as { text: string }).text.includes('Accepted'), true);
      await ca.close();
      await cb.close();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
