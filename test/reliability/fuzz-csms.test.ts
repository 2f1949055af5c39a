/**
 * Fuzzing the test CSMS: raw `ws` clients on loopback boot, then send generated and mutated
 * frames in batches closed by a sentinel Heartbeat (the CSMS answers in order). Checked: the
 * OCPP-J answers (fuzz-oracle.ts), no crash, no unhandled rejection, a control charge point on
 * another connection keeps being answered, a CSMS CALL pending on the fuzzed connection still
 * settles, invalid UTF-8 closes only its own connection (1007), no prototype pollution.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { TestCsms } from '../../src/csms';
import type { OcppVersion } from '../../src/ocpp';
import { seeded } from '../chargepoint/helpers';
import { until } from '../chargepoint/loopback';
import { fcSeed } from './fc-seed';
import { fuzzBatch } from './fuzz-batch';
import { INVALID_UTF8, prototypeSnapshot } from './fuzz-frames';
import { checkAnswers } from './fuzz-oracle';
import { guardProcess, type ProcessGuard } from './process-guard';

const FRAMES_PER_VERSION = Number(process.env['FUZZ_FRAMES'] ?? 10_000);
const BATCH = 250;
const TIME_BUDGET_MS = 15_000;

const BOOT: Record<OcppVersion, Record<string, unknown>> = {
  '1.6': { chargePointVendor: 'Fuzz', chargePointModel: 'Raw' },
  '2.0.1': { reason: 'PowerUp', chargingStation: { vendorName: 'Fuzz', model: 'Raw' } },
};

interface RawClient {
  ws: WebSocket;
  frames: string[];
}

async function rawClient(csms: TestCsms, identity: string, version: OcppVersion): Promise<RawClient> {
  const ws = new WebSocket(csms.url(identity), [version === '1.6' ? 'ocpp1.6' : 'ocpp2.0.1'], {
    perMessageDeflate: false,
  });
  const client: RawClient = { ws, frames: [] };
  ws.on('message', (data) => client.frames.push(data.toString()));
  ws.on('error', () => {});
  await once(ws, 'open');
  ws.send(JSON.stringify([2, 'boot-1', 'BootNotification', BOOT[version]]));
  await until(() => client.frames.some((t) => t.startsWith('[3,"boot-1"')), `${identity} boot answer`);
  return client;
}

async function closeClient(client: RawClient): Promise<void> {
  if (client.ws.readyState === WebSocket.CLOSED) return;
  const closed = once(client.ws, 'close');
  client.ws.terminate();
  await closed;
}

describe('fuzzing the test CSMS', () => {
  let guard: ProcessGuard;
  let csms: TestCsms;
  const protoBefore = prototypeSnapshot();

  before(async () => {
    guard = guardProcess();
    csms = new TestCsms();
    await csms.listen();
  });
  after(async () => {
    await csms.close();
    guard.uninstall();
  });

  for (const version of ['1.6', '2.0.1'] as OcppVersion[]) {
    it(`${version}: ${FRAMES_PER_VERSION} fuzz frames → right answers, no crash, other connections unaffected`, async () => {
      const tag = version.replace(/\./g, '');
      const fuzzId = `FUZZ${tag}`;
      const controlId = `CONTROL${tag}`;
      const fuzz = await rawClient(csms, fuzzId, version);
      const control = await rawClient(csms, controlId, version);
      try {
        // A CSMS CALL pending on the fuzzed connection: it must still settle when answered.
        let pendingOutcome: string | undefined;
        const triggerPayload =
          version === '1.6' ? { requestedMessage: 'Heartbeat' } : { requestedMessage: 'Heartbeat' };
        csms
          .script(fuzzId)
          .sendCall('TriggerMessage', triggerPayload, { timeoutMs: 600_000 })
          .then(
            () => {
              pendingOutcome = 'resolved';
            },
            (error: Error) => {
              pendingOutcome = `${error.name}: ${error.message}`;
            },
          );
        await until(() => fuzz.frames.some((t) => t.includes('"TriggerMessage"')), 'the CSMS CALL');
        const pendingCall = JSON.parse(fuzz.frames.find((t) => t.includes('"TriggerMessage"')) as string);

        const rng = seeded(fcSeed() ^ (version === '1.6' ? 0x1600 : 0x2010));
        const started = Date.now();
        const problems: string[] = [];
        let sent = 0;
        let batchNo = 0;
        while (sent < FRAMES_PER_VERSION && Date.now() - started < TIME_BUDGET_MS) {
          const idPrefix = `c${batchNo}n`;
          const { frames, replies } = await fuzzBatch(
            fuzz,
            rng,
            Math.min(BATCH, FRAMES_PER_VERSION - sent),
            idPrefix,
            {
              id: `sentinel-${batchNo}`,
              action: 'Heartbeat',
              payload: {},
            },
          );
          problems.push(...checkAnswers({ version, frames, replies, idPrefix, answersUnreadable: true }));
          // The control charge point on another connection is answered as usual, every batch.
          const controlFrom = control.frames.length;
          control.ws.send(JSON.stringify([2, `hb-${batchNo}`, 'Heartbeat', {}]));
          await until(
            () => control.frames.slice(controlFrom).some((t) => t.startsWith(`[3,"hb-${batchNo}"`)),
            'the control heartbeat answer',
          );
          sent += frames.length;
          batchNo++;
          if (problems.length > 20) break;
        }
        assert.deepEqual(problems.slice(0, 20), []);
        assert.equal(sent, FRAMES_PER_VERSION, `all frames sent within ${TIME_BUDGET_MS} ms`);
        assert.equal(fuzz.ws.readyState, WebSocket.OPEN, 'the fuzzed connection survives');
        assert.equal(pendingOutcome, undefined);
        fuzz.ws.send(JSON.stringify([3, pendingCall[1], { status: 'Rejected' }]));
        await until(() => pendingOutcome !== undefined, 'the pending CSMS CALL to settle');
        assert.equal(pendingOutcome, 'resolved');

        // Invalid UTF-8: that connection closes with 1007, the control one is unaffected.
        for (const bad of INVALID_UTF8) {
          const victim = await rawClient(csms, `${fuzzId}-utf8`, version);
          const closed = once(victim.ws, 'close');
          victim.ws.send(bad, { binary: false });
          const [code] = (await closed) as [number];
          assert.equal(code, 1007);
        }
        const controlFrom = control.frames.length;
        control.ws.send(JSON.stringify([2, 'hb-final', 'Heartbeat', {}]));
        await until(
          () => control.frames.slice(controlFrom).some((t) => t.startsWith('[3,"hb-final"')),
          'control',
        );
        assert.equal(csms.recorder.connections(controlId).length, 1, 'the control connection never dropped');
        assert.deepEqual(guard.problems, []);
        assert.equal(prototypeSnapshot(), protoBefore, 'no prototype pollution');
      } finally {
        await closeClient(fuzz);
        await closeClient(control);
      }
    });
  }
});
