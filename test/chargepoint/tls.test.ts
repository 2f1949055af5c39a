import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { generate } from 'selfsigned';
import { WebSocketServer } from 'ws';
import { ChargePoint } from '../../src/chargepoint';
import { VirtualClock } from '../../src/clock';
import { waitFor } from './loopback';

describe('TLS (wss://)', () => {
  it('connects with the CA given in tls.ca; without it the certificate is refused (TransportError)', async () => {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const https = createServer({ key: pems.private, cert: pems.cert });
    const wss = new WebSocketServer({ server: https, handleProtocols: () => 'ocpp1.6' });
    https.listen(0, '127.0.0.1');
    await once(https, 'listening');
    const url = `wss://127.0.0.1:${(https.address() as AddressInfo).port}/ocpp/CP001`;
    const trusting = new ChargePoint({
      url,
      ocppVersion: '1.6',
      clock: new VirtualClock(),
      tls: { ca: pems.cert },
    });
    const refusing = new ChargePoint({ url, ocppVersion: '1.6', clock: new VirtualClock() });
    try {
      const connected = waitFor<[{ protocol: string }]>(trusting, 'connected');
      trusting.start();
      assert.equal((await connected)[0].protocol, 'ocpp1.6');
      const closed = waitFor<[{ reason: string }]>(refusing, 'closed');
      refusing.start();
      assert.equal((await closed)[0].reason, 'TransportError');
    } finally {
      await trusting.stop();
      await refusing.stop();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => https.close(() => resolve()));
    }
  });
});
