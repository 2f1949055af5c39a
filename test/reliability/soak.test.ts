/**
 * Soak: 1 000 reconnect cycles of a real ChargePoint against the real TestCsms over loopback
 * (virtual clock), with calls in flight at every drop. Checked: no id and no seq reaches the CSMS
 * twice, every call settles (ConnectionClosed), no finding, and from cycle 100 to cycle 1 000 the
 * heap after a forced GC, the active handles and the event listeners stay flat within the
 * bounds below. `npm run soak -- --cycles N` runs the same engine longer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runSoak } from './soak';

const CYCLES = Number(process.env['SOAK_CYCLES'] ?? 1000);
/** Heap growth allowed from cycle 100 to the end: the run keeps a Set of every id and seq it saw (≈ 0.65 KB per cycle: 5 ids and 3 seqs). */
const HEAP_BOUND_BYTES = 2 * 1024 * 1024;

describe('soak', () => {
  it(`${CYCLES} reconnect cycles with calls in flight: no duplicate, all settled, heap/handles/listeners flat`, async (t) => {
    const result = await runSoak({ cycles: CYCLES, timeBudgetMs: 55_000 });
    const first = result.checkpoints.find((c) => c.cycle === 100);
    const last = result.checkpoints[result.checkpoints.length - 1];
    assert.ok(first && last, 'checkpoints taken');
    t.diagnostic(
      JSON.stringify({
        cycles: result.cycles,
        calls: result.calls,
        connections: result.connections,
        elapsedMs: result.elapsedMs,
        heapAt100: first.heapUsed,
        heapAtEnd: last.heapUsed,
        heapGrowth: last.heapUsed - first.heapUsed,
        resourcesAt100: first.resources,
        resourcesAtEnd: last.resources,
        listenersAt100: [first.cpListeners, first.processListeners],
        listenersAtEnd: [last.cpListeners, last.processListeners],
      }),
    );
    assert.equal(result.duplicateIds, 0, 'no message id reached the CSMS twice');
    assert.equal(result.duplicateSeqs, 0, 'no DataTransfer seq reached the CSMS twice');
    assert.equal(result.recorderDuplicates, 0, "the CSMS recorder's duplicate query agrees");
    assert.equal(result.settled, result.calls, 'every call settled');
    assert.equal(
      result.rejectedClosed,
      result.calls,
      'every call in flight or queued at a drop rejected ConnectionClosed',
    );
    assert.deepEqual(result.otherOutcomes, []);
    assert.deepEqual(result.findings, [], 'the CSMS found nothing wrong');
    assert.ok(result.connections >= CYCLES + 1, `${result.connections} connections`);
    assert.ok(
      last.heapUsed - first.heapUsed < HEAP_BOUND_BYTES,
      `heap grew ${last.heapUsed - first.heapUsed} bytes from cycle 100 to ${last.cycle}`,
    );
    assert.deepEqual(last.resources, first.resources, 'active handles flat');
    assert.equal(last.cpListeners, first.cpListeners, 'charge point listeners flat');
    assert.equal(last.processListeners, first.processListeners, 'process listeners flat');
    assert.equal(last.pendingTimers, first.pendingTimers, 'virtual timers flat');
  });
});
