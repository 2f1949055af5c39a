import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from 'selfsigned';
import WebSocket from 'ws';
import { TestCsms } from '../../src/csms';
import { bootedClient, closeOf, connect, eventOf, startCsms, within } from './helpers';

async function refusedStatus(
  url: string,
  protocols: string | string[] = 'ocpp1.6',
  options = {},
): Promise<number> {
  try {
    const client = await connect(url, protocols, options);
    await client.close();
  } catch (error) {
    return (error as { status?: number }).status ?? -1;
  }
  return 101;
}

describe('handshake', () => {
  it('offers ocpp1.6 and ocpp2.0.1 and records upgrade, handshake and open', async () => {
    const csms = await startCsms();
    try {
      assert.match(csms.url('CP1'), /^ws:\/\/127\.0\.0\.1:\d+\/ocpp\/CP1$/);
      const a = await connect(csms.url('CP1'), ['ocpp2.0.1', 'ocpp1.6']);
      assert.equal(a.ws.protocol, 'ocpp2.0.1');
      const b = await connect(csms.url('CP2'), ['ocpp1.6']);
      assert.equal(b.ws.protocol, 'ocpp1.6');
      const kinds = csms.recorder.events('CP1').map((e) => e.kind);
      assert.deepEqual(kinds, ['upgrade', 'handshake', 'open']);
      const upgrade = csms.recorder.events('CP1')[0];
      assert.ok(upgrade?.kind === 'upgrade');
      assert.deepEqual(upgrade.protocols, ['ocpp2.0.1', 'ocpp1.6']);
      assert.equal(csms.isConnected('CP1'), true);
      await a.close();
      await b.close();
      await closeOf(csms, 'CP1', 1);
      assert.equal(csms.isConnected('CP1'), false);
      const [record] = csms.recorder.connections('CP1');
      assert.equal(record?.closedBy, 'cp');
      assert.equal(record?.closeCode, 1000);
      assert.equal(record?.protocol, 'ocpp2.0.1');
    } finally {
      await csms.close();
    }
  });

  it('no common subprotocol: completes the handshake without one, then closes at once', async () => {
    const csms = await startCsms({ versions: ['2.0.1'] });
    try {
      const ws = new WebSocket(csms.url('CP1'), 'ocpp1.6');
      ws.on('error', () => {});
      const close = await closeOf(csms, 'CP1', 1);
      assert.equal(close.by, 'csms');
      const handshake = csms.recorder.events('CP1').find((e) => e.kind === 'handshake');
      assert.ok(handshake?.kind === 'handshake');
      assert.equal(handshake.outcome, 'no-subprotocol');
      assert.equal(csms.recorder.connections('CP1')[0]?.noSubprotocol, true);
      assert.equal(csms.recorder.findings().length, 0);
    } finally {
      await csms.close();
    }
  });

  it('a client that offers no subprotocol at all is accepted at the HTTP level and closed with 1002', async () => {
    const csms = await startCsms();
    try {
      const client = await connect(csms.url('CP1'), []);
      const closed = await within(3000, 'close', client.closed);
      assert.equal(closed.code, 1002);
    } finally {
      await csms.close();
    }
  });

  it('per-identity versions: an identity allowed only 2.0.1 cannot use 1.6', async () => {
    const csms = await startCsms();
    try {
      csms.script('CP1').allowVersions(['2.0.1']);
      const client = await connect(csms.url('CP1'), ['ocpp1.6', 'ocpp2.0.1']);
      assert.equal(client.ws.protocol, 'ocpp2.0.1');
      await client.close();
    } finally {
      await csms.close();
    }
  });

  it('an identity not on the allow-list gets HTTP 404; a wrong path too', async () => {
    const csms = await startCsms({ allowList: ['KNOWN'] });
    try {
      assert.equal(await refusedStatus(csms.url('STRANGER')), 404);
      assert.equal(csms.recorder.connections('STRANGER')[0]?.refusedStatus, 404);
      const base = csms.url('KNOWN').replace('/ocpp/KNOWN', '/elsewhere/KNOWN');
      assert.equal(await refusedStatus(base), 404);
      assert.equal(await refusedStatus(csms.url('KNOWN')), 101);
    } finally {
      await csms.close();
    }
  });

  it('Basic auth: missing or wrong credentials get 401, the right ones connect', async () => {
    const csms = await startCsms({ basicAuth: { CP1: 's3cret-key' } });
    try {
      assert.equal(await refusedStatus(csms.url('CP1')), 401);
      const wrong = { headers: { Authorization: `Basic ${Buffer.from('CP1:nope').toString('base64')}` } };
      assert.equal(await refusedStatus(csms.url('CP1'), 'ocpp1.6', wrong), 401);
      const otherUser = {
        headers: { Authorization: `Basic ${Buffer.from('CP2:s3cret-key').toString('base64')}` },
      };
      assert.equal(await refusedStatus(csms.url('CP1'), 'ocpp1.6', otherUser), 401);
      const right = {
        headers: { Authorization: `Basic ${Buffer.from('CP1:s3cret-key').toString('base64')}` },
      };
      assert.equal(await refusedStatus(csms.url('CP1'), 'ocpp1.6', right), 101);
      assert.doesNotMatch(JSON.stringify(csms.recorder.toJSON()), /s3cret|czNjcmV0/);
    } finally {
      await csms.close();
    }
  });

  it('TLS (security profile 2) with Basic auth: a wss client that trusts the generated certificate boots', async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const csms = new TestCsms({ tls: { cert: pems.cert, key: pems.private }, basicAuth: { CP1: 'key-1' } });
    await csms.listen();
    try {
      assert.match(csms.url('CP1'), /^wss:\/\//);
      const auth = { Authorization: `Basic ${Buffer.from('CP1:key-1').toString('base64')}` };
      assert.equal(await refusedStatus(csms.url('CP1'), 'ocpp1.6', { ca: pems.cert }), 401);
      const client = await connect(csms.url('CP1'), 'ocpp1.6', { ca: pems.cert, headers: auth });
      const answer = await client.boot('1.6');
      assert.equal(answer[0], 3);
      assert.equal((answer[2] as { status: string }).status, 'Accepted');
      await client.close();
      await assert.rejects(connect(csms.url('CP1'), 'ocpp1.6', { headers: auth }), /self-signed|certificate/);
    } finally {
      await csms.close();
    }
  });

  it('refuseUpgrade answers the next N attempts with the status, then accepts', async () => {
    const csms = await startCsms();
    try {
      csms.script('CP1').refuseUpgrade(2, 503);
      assert.equal(await refusedStatus(csms.url('CP1')), 503);
      assert.equal(await refusedStatus(csms.url('CP1')), 503);
      const client = await bootedClient(csms, 'CP1');
      const records = csms.recorder.connections('CP1');
      assert.deepEqual(
        records.map((r) => r.refusedStatus),
        [503, 503, undefined],
      );
      assert.equal(records[2]?.openAt !== undefined, true);
      await client.close();
    } finally {
      await csms.close();
    }
  });

  it('acceptNoSubprotocol: the next N handshakes complete without a subprotocol and close', async () => {
    const csms = await startCsms();
    try {
      csms.script('CP1').acceptNoSubprotocol(1);
      const ws = new WebSocket(csms.url('CP1'), 'ocpp1.6');
      ws.on('error', () => {});
      await closeOf(csms, 'CP1', 1);
      const client = await connect(csms.url('CP1'));
      assert.equal(client.ws.protocol, 'ocpp1.6');
      await client.close();
    } finally {
      await csms.close();
    }
  });

  it('a plain HTTP request (no upgrade) gets 426 and leaves the server serving', async () => {
    const csms = await startCsms();
    try {
      const url = csms.url('CP1').replace('ws://', 'http://');
      const response = await within(3000, 'http answer', fetch(url));
      assert.equal(response.status, 426);
      await response.text();
      const client = await connect(csms.url('CP1'));
      await client.close();
      await eventOf(csms, (e) => e.kind === 'close', 'close');
    } finally {
      await csms.close();
    }
  });

  it('listens again on the same port after close(); the recorder and scripts persist', async () => {
    const csms = await startCsms();
    try {
      const first = await connect(csms.url('CP1'));
      const port = csms.port;
      await csms.close();
      assert.equal((await within(3000, 'close', first.closed)).code, 1001);
      assert.equal(csms.port, port);
      assert.equal(csms.ioPending(), false);
      csms.script('CP1').bootAnswer('Pending', 5);
      await csms.listen({ port });
      const second = await connect(csms.url('CP1'));
      const boot = await second.boot('1.6');
      assert.equal((boot[2] as { status: string }).status, 'Pending');
      assert.deepEqual(
        csms.recorder.connections('CP1').map((c) => [c.index, c.closedBy, c.closeCode]),
        [
          [1, 'csms', 1001],
          [2, undefined, undefined],
        ],
      );
    } finally {
      await csms.close();
    }
  });
});
