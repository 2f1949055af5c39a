import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RPCClient } from 'ocpp-rpc';
import { parseCliArgs, UsageError } from '../../src/csms/cli-args';
import { within } from './helpers';

const CLI = path.join(__dirname, '..', '..', 'src', 'csms', 'cli.ts');

function startCli(args: string[]): {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  waitFor: (re: RegExp, what: string) => Promise<RegExpMatchArray>;
} {
  const child = spawn(process.execPath, ['--require', 'ts-node/register', CLI, ...args], {
    cwd: path.join(__dirname, '..', '..'),
  });
  let out = '';
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.on('data', (chunk) => {
    out += chunk;
  });
  const waitFor = (re: RegExp, what: string) =>
    within(
      15_000,
      `${what} in the CLI output:\n${out}`,
      new Promise<RegExpMatchArray>((resolve) => {
        const check = () => {
          const match = out.match(re);
          if (match !== null) resolve(match);
          else waiters.push(check);
        };
        check();
      }),
    );
  return { child, output: () => out, waitFor };
}

describe('csms CLI arguments', () => {
  it('parses every flag', () => {
    const options = parseCliArgs([
      '--port',
      '0',
      '--host=0.0.0.0',
      '--boot',
      'Pending',
      '--interval',
      '5',
      '--drop-after-ms',
      '2000',
      '--basic-auth',
      'CP1:pa:ss',
      '--tls',
      '--json',
    ]);
    assert.deepEqual(options, {
      port: 0,
      host: '0.0.0.0',
      boot: 'Pending',
      intervalS: 5,
      dropAfterMs: 2000,
      basicAuth: { user: 'CP1', password: 'pa:ss' },
      tls: true,
      json: true,
      help: false,
    });
  });

  it('rejects bad flags', () => {
    for (const bad of [
      ['--port', 'x'],
      ['--port', '70000'],
      ['--boot', 'Maybe'],
      ['--nope'],
      ['--basic-auth', 'nocolon'],
      ['--interval'],
      ['--json=1'],
    ]) {
      assert.throws(() => parseCliArgs(bad), UsageError, bad.join(' '));
    }
  });

  it('bad flags: usage message, exit 2', async () => {
    const cli = startCli(['--boot', 'Maybe']);
    const [code] = (await within(15_000, 'exit', once(cli.child, 'exit'))) as [number];
    assert.equal(code, 2);
    assert.match(cli.output(), /--boot must be Accepted, Pending or Rejected[\s\S]*usage: npm run csms/);
  });
});

describe('csms CLI with a real OCPP 1.6 client (ocpp-rpc)', () => {
  it('prints the URL, the boot and heartbeats; --drop-after-ms drops the client, which reconnects; SIGINT exits 0', async () => {
    const cli = startCli(['--port', '0', '--drop-after-ms', '500', '--interval', '30']);
    // ocpp-rpc's typings want every option; it fills in defaults for the missing ones.
    type Options = ConstructorParameters<typeof RPCClient>[0];
    const [, url] = await cli.waitFor(
      /listening on (ws:\/\/127\.0\.0\.1:\d+\/ocpp)\/\{identity\}/,
      'the listening URL',
    );
    const client = new RPCClient({
      endpoint: url,
      identity: 'RPC001',
      protocols: ['ocpp1.6'],
      strictMode: true,
      reconnect: true,
      pingIntervalMs: 0,
      backoff: { initialDelay: 50, maxDelay: 200, factor: 2, randomisationFactor: 0 },
    } as Partial<Options> as Options);
    try {
      await within(10_000, 'connect', client.connect());
      const boot = (await client.call('BootNotification', {
        chargePointVendor: 'Acme',
        chargePointModel: 'Rpc',
      })) as { status: string };
      assert.equal(boot.status, 'Accepted');
      await client.call('Heartbeat', {});
      await client.call('Heartbeat', {});
      await cli.waitFor(/RPC001#1 <- \[2,"[^"]+","BootNotification"/, 'the boot');
      await cli.waitFor(/RPC001#1 -> \[3,"[^"]+",\{"status":"Accepted"/, 'the boot answer');
      await cli.waitFor(/(RPC001#1 <- \[2,"[^"]+","Heartbeat"[\s\S]*){2}/, 'two heartbeats');
      await cli.waitFor(/RPC001#1 closed by the CSMS: 1000/, 'the drop');
      await cli.waitFor(/RPC001#2 upgrade request/, 'the reconnect');
      await cli.waitFor(/RPC001#2 open, OCPP 1.6/, 'the second open');
      assert.doesNotMatch(cli.output(), /FINDING/);
    } finally {
      await client.close({ force: true });
    }
    const exited = once(cli.child, 'exit');
    cli.child.kill('SIGINT');
    const [code] = (await within(15_000, 'exit after SIGINT', exited)) as [number];
    assert.equal(code, 0, cli.output());
  });

  it('--json prints JSON lines and SIGTERM exits 0; findings show up', async () => {
    const cli = startCli(['--port', '0', '--json']);
    const [line] = await cli.waitFor(/\{"kind":"listening".*\}/, 'the listening line');
    const { url } = JSON.parse(line) as { url: string };
    const WebSocket = (await import('ws')).default;
    const ws = new WebSocket(url.replace('{identity}', 'RAW1'), 'ocpp1.6');
    ws.on('error', () => {});
    await within(5000, 'open', once(ws, 'open'));
    ws.send('garbage');
    await cli.waitFor(/"kind":"finding".*"malformed-frame"/, 'the finding');
    ws.close();
    await cli.waitFor(/"kind":"close"/, 'the close');
    const exited = once(cli.child, 'exit');
    cli.child.kill('SIGTERM');
    const [code] = (await within(15_000, 'exit after SIGTERM', exited)) as [number];
    assert.equal(code, 0, cli.output());
  });

  it('--tls --basic-auth: a charge point that trusts the printed certificate and knows the key boots', async () => {
    const cli = startCli(['--port', '0', '--tls', '--basic-auth', 'TLS001:a-key-of-more-than-16-chars']);
    const [, url] = await cli.waitFor(/listening on (wss:\/\/\S+)/, 'the wss URL');
    const [pem] = await cli.waitFor(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/,
      'the certificate',
    );
    const { ChargePoint } = await import('../../src/chargepoint');
    const cp = new ChargePoint({
      url: (url as string).replace('{identity}', 'TLS001'),
      ocppVersion: '1.6',
      tls: { ca: pem },
      basicAuth: { username: 'TLS001', password: 'a-key-of-more-than-16-chars' },
    });
    try {
      const online = once(cp, 'online');
      cp.start();
      await within(10_000, 'the charge point online over wss with Basic auth', online);
      await cli.waitFor(/TLS001#1 open, OCPP 1\.6/, 'the open');
      assert.doesNotMatch(cli.output(), /a-key-of-more-than-16-chars/, 'the key is never printed');
    } finally {
      await cp.stop();
    }
    const exited = once(cli.child, 'exit');
    cli.child.kill('SIGTERM');
    const [code] = (await within(15_000, 'exit after SIGTERM', exited)) as [number];
    assert.equal(code, 0, cli.output());
  });
});
