/**
 * Fuzzing the reference charge point: a raw loopback `ws` server boots a real ChargePoint, then
 * throws generated and mutated frames at it in batches, each closed by a sentinel CALL (the
 * charge point handles frames in order, so the sentinel's answer means every answer to the batch
 * has arrived). Checked: OCPP-J answers (fuzz-oracle.ts), no crash, no unhandled rejection, the
 * pending call still settles, the connection survives (except invalid UTF-8, which RFC 6455
 * closes with 1007: then the charge point reconnects), no prototype pollution.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import { ChargePoint } from '../../src/chargepoint';
import { VirtualClock } from '../../src/clock';
import type { OcppVersion } from '../../src/ocpp';
import { seeded } from '../chargepoint/helpers';
import { type Loopback, startLoopback, until, waitFor } from '../chargepoint/loopback';
import { fcSeed } from './fc-seed';
import { fuzzBatch } from './fuzz-batch';
import { INVALID_UTF8, prototypeSnapshot } from './fuzz-frames';
import { checkAnswers } from './fuzz-oracle';
import { guardProcess, type ProcessGuard } from './process-guard';

/** Frames per version (×2 versions ≥ 10 000), sent in batches. */
const FRAMES_PER_VERSION = Number(process.env['FUZZ_FRAMES'] ?? 10_000);
const BATCH = 250;
/** Wall-time bound of one version's run. */
const TIME_BUDGET_MS = 12_000;

export const cpFuzzFigures: Record<string, number> = {};

interface Peer {
  ws: WebSocket;
  /** Answers the charge point wrote (type 3/4) and its CALLs, in order. */
  frames: string[];
  /** The withheld DataTransfer CALL ("pending"), if it arrived. */
  pendingId?: string;
}

/** A CSMS stand-in: answers boot/heartbeat/status, withholds the answer to DataTransfer "pending". */
function csmsStandIn(peers: Peer[]) {
  return (ws: WebSocket) => {
    const peer: Peer = { ws, frames: [] };
    peers.push(peer);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      peer.frames.push(text);
      let frame: unknown;
      try {
        frame = JSON.parse(text);
      } catch {
        return;
      }
      if (!Array.isArray(frame) || frame[0] !== 2) return;
      const [, id, action, payload] = frame as [2, string, string, Record<string, unknown>];
      const now = new Date().toISOString();
      if (action === 'BootNotification')
        ws.send(JSON.stringify([3, id, { status: 'Accepted', currentTime: now, interval: 0 }]));
      else if (action === 'Heartbeat') ws.send(JSON.stringify([3, id, { currentTime: now }]));
      else if (action === 'StatusNotification') ws.send(JSON.stringify([3, id, {}]));
      else if (action === 'DataTransfer' && payload['data'] === 'pending') peer.pendingId = id;
    });
  };
}

describe('fuzzing the reference charge point', () => {
  let guard: ProcessGuard;
  let server: Loopback;
  const peers: Peer[] = [];
  const protoBefore = prototypeSnapshot();

  before(async () => {
    guard = guardProcess();
    server = await startLoopback(csmsStandIn(peers), {
      handleProtocols: (protocols) => [...protocols][0] ?? false,
    });
  });
  after(async () => {
    await server.close();
    guard.uninstall();
  });

  for (const version of ['1.6', '2.0.1'] as OcppVersion[]) {
    it(`${version}: ${FRAMES_PER_VERSION} fuzz frames → right answers, no crash, pending call settles, connection survives`, async () => {
      const clock = new VirtualClock(0);
      const identity = `FUZZ${version.replace(/\./g, '')}`;
      const cp = new ChargePoint({
        url: server.url(identity),
        ocppVersion: version,
        clock,
        random: seeded(3),
        policy: { initialBackoffMs: 100, maxBackoffMs: 400, jitterRatio: 0, resumeDelayMs: 10 },
      });
      let warnings = 0;
      cp.on('warning', () => warnings++);
      const firstPeer = peers.length;
      try {
        const booted = waitFor(cp, 'boot');
        cp.start();
        await booted;
        clock.advance(10);
        assert.equal(cp.online, true);
        const peer = peers[firstPeer] as Peer;
        let pendingOutcome: string | undefined;
        cp.call('DataTransfer', { vendorId: 'X', data: 'pending' }).then(
          () => {
            pendingOutcome = 'resolved';
          },
          (error: Error) => {
            pendingOutcome = error.name;
          },
        );
        await until(() => peer.pendingId !== undefined, 'the pending DataTransfer');

        const rng = seeded(fcSeed() ^ (version === '1.6' ? 0x16 : 0x201));
        const started = Date.now();
        let sent = 0;
        let batchNo = 0;
        const problems: string[] = [];
        while (sent < FRAMES_PER_VERSION && Date.now() - started < TIME_BUDGET_MS) {
          const idPrefix = `b${batchNo}n`;
          const { frames, replies } = await fuzzBatch(
            peer,
            rng,
            Math.min(BATCH, FRAMES_PER_VERSION - sent),
            idPrefix,
            {
              id: `sentinel-${batchNo}`,
              action: 'DataTransfer',
              payload: { vendorId: 'OpenReconnect' },
            },
          );
          problems.push(
            ...checkAnswers({ version, frames, replies, idPrefix, answersUnreadable: version === '2.0.1' }),
          );
          sent += frames.length;
          batchNo++;
          if (problems.length > 20) break;
        }
        assert.deepEqual(problems.slice(0, 20), []);
        assert.equal(sent, FRAMES_PER_VERSION, `all frames sent within ${TIME_BUDGET_MS} ms`);
        assert.equal(peers.length, firstPeer + 1, 'one connection: nothing closed it');
        assert.equal(cp.online, true);
        assert.equal(pendingOutcome, undefined, 'the pending call waits for its own answer');
        peer.ws.send(JSON.stringify([3, peer.pendingId, { status: 'Accepted' }]));
        await until(() => pendingOutcome !== undefined, 'the pending call to settle');
        assert.equal(pendingOutcome, 'resolved');

        // Invalid UTF-8 in a text frame: RFC 6455 §8.1 closes with 1007 (ProtocolError); the charge
        // point comes back, and a call in flight at that moment rejects ConnectionClosedError.
        for (const bad of INVALID_UTF8) {
          const current = peers[peers.length - 1] as Peer;
          const inFlight = cp.call('DataTransfer', { vendorId: 'X', data: 'pending' }).then(
            () => 'resolved',
            (error: Error) => error.name,
          );
          await until(() => current.pendingId !== undefined && current.frames.length > 0, 'a call in flight');
          const closed = waitFor<[{ reason: string; code: number }]>(cp, 'closed');
          current.ws.send(bad, { binary: false });
          const [info] = await closed;
          // ws sends 1007 and reports 1006 locally (it stops reading before the echo): the reason counts.
          assert.equal(info.reason, 'ProtocolError');
          assert.equal(await inFlight, 'ConnectionClosedError');
          const rebooted = waitFor(cp, 'boot');
          clock.runToNext();
          await rebooted;
          clock.advance(10);
          assert.equal(cp.online, true, 'back online after the 1007 close');
          (peers[peers.length - 1] as Peer).pendingId = undefined;
        }
        cpFuzzFigures[version] = sent;
        assert.deepEqual(guard.problems, []);
        assert.equal(prototypeSnapshot(), protoBefore, 'no prototype pollution');
        assert.ok(warnings > 0, 'malformed frames were reported as warnings');
      } finally {
        await cp.stop();
      }
      assert.equal(clock.pendingTimers(), 0);
    });
  }
});
