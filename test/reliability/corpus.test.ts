/**
 * The fuzz corpus (corpus.ts) as unit tests: the exact answers of the reference charge point (on
 * the fake transport), and against the test CSMS (raw loopback client): the required answer
 * exactly once, never two answers, the connection open, no prototype pollution.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { TestCsms } from '../../src/csms';
import { type OcppVersion, parseFrame } from '../../src/ocpp';
import { bringOnline, flush, harness } from '../chargepoint/helpers';
import { until } from '../chargepoint/loopback';
import { type Answer, CORPUS, CORPUS_INVALID_UTF8 } from './corpus';
import { prototypeSnapshot } from './fuzz-frames';
import { guardProcess } from './process-guard';

function answersIn(texts: readonly string[]): Answer[] {
  const out: Answer[] = [];
  for (const text of texts) {
    const parsed = parseFrame(text);
    assert.ok(parsed.ok, `the peer wrote a malformed frame: ${text.slice(0, 100)}`);
    const f = parsed.frame;
    if (f.type === 3) out.push({ id: f.id, type: 3 });
    else if (f.type === 4) {
      assert.ok(f.description.length <= 255, 'description ≤ 255 characters');
      out.push({ id: f.id, type: 4, code: f.code });
    }
  }
  return out;
}

describe('fuzz corpus: the reference charge point', () => {
  for (const version of ['1.6', '2.0.1'] as OcppVersion[]) {
    it(`${version}: ${CORPUS.length} nasty frames get exactly the answers OCPP-J and our decisions require`, async () => {
      const guard = guardProcess();
      const protoBefore = prototypeSnapshot();
      const h = harness({ ocppVersion: version });
      try {
        const t = await bringOnline(h, 0);
        t.reply(t.lastCall('Heartbeat'), { currentTime: new Date(0).toISOString() });
        await flush();
        let pending: string | undefined;
        h.cp.call('DataTransfer', { vendorId: 'X' }).then(
          () => {
            pending = 'resolved';
          },
          (e: Error) => {
            pending = e.name;
          },
        );
        const pendingCall = t.lastCall('DataTransfer');
        for (const c of CORPUS) {
          const from = t.written.length;
          t.receive(c.text);
          await flush();
          const got = answersIn(t.written.slice(from));
          assert.deepEqual(got, version === '1.6' ? c.cp16 : c.cp201, `${c.name} (${version})`);
        }
        assert.equal(h.cp.online, true, 'still online');
        assert.equal(pending, undefined);
        t.reply(pendingCall, { status: 'Accepted' });
        await flush();
        assert.equal(pending, 'resolved', 'the pending call settles');
        assert.equal(prototypeSnapshot(), protoBefore);
        assert.deepEqual(guard.problems, []);
      } finally {
        await h.cp.stop();
        guard.uninstall();
      }
    });
  }
});

describe('fuzz corpus: the test CSMS', () => {
  it('1.6 and 2.0.1: every nasty frame is survived, required answers come exactly once, invalid UTF-8 closes 1007', async () => {
    const guard = guardProcess();
    const protoBefore = prototypeSnapshot();
    const csms = new TestCsms();
    await csms.listen();
    const sockets: WebSocket[] = [];
    try {
      for (const version of ['1.6', '2.0.1'] as OcppVersion[]) {
        const ws = new WebSocket(csms.url(`CORPUS${version}`), [version === '1.6' ? 'ocpp1.6' : 'ocpp2.0.1']);
        sockets.push(ws);
        const frames: string[] = [];
        ws.on('message', (d) => frames.push(d.toString()));
        await once(ws, 'open');
        for (const [i, c] of CORPUS.entries()) {
          const from = frames.length;
          ws.send(c.text);
          ws.send(JSON.stringify([2, `sentinel-${i}`, 'Heartbeat', {}]));
          await until(() => frames.slice(from).some((t) => t.includes(`"sentinel-${i}"`)), c.name);
          const got = answersIn(frames.slice(from).filter((t) => !t.includes(`"sentinel-${i}"`)));
          assert.ok(got.length <= 1, `${c.name}: at most one answer, got ${JSON.stringify(got)}`);
          if (c.required !== undefined) {
            assert.deepEqual(
              got.map((a) => a.id),
              [c.required],
              `${c.name}: one answer with id ${c.required}`,
            );
          }
        }
        assert.equal(ws.readyState, WebSocket.OPEN, `${version}: the connection survives the corpus`);
        for (const bad of CORPUS_INVALID_UTF8) {
          const victim = new WebSocket(csms.url(`UTF8${version}`), [
            version === '1.6' ? 'ocpp1.6' : 'ocpp2.0.1',
          ]);
          sockets.push(victim);
          await once(victim, 'open');
          const closed = once(victim, 'close');
          victim.send(bad, { binary: false });
          assert.equal(((await closed) as [number])[0], 1007);
        }
        assert.equal(ws.readyState, WebSocket.OPEN, `${version}: other connections unaffected`);
      }
      assert.equal(prototypeSnapshot(), protoBefore);
      assert.deepEqual(guard.problems, []);
    } finally {
      for (const ws of sockets) ws.terminate();
      await csms.close();
      guard.uninstall();
    }
  });
});
