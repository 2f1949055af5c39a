import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VirtualClock } from '../../src/clock';
import type { FindingKind } from '../../src/csms';
import type { OcppVersion } from '../../src/ocpp';
import {
  bootedClient,
  bootPayload,
  closeOf,
  connect,
  findingOf,
  received,
  startCsms,
  subprotocol,
  within,
} from './helpers';

const VERSIONS: OcppVersion[] = ['1.6', '2.0.1'];

function kinds(csms: Awaited<ReturnType<typeof startCsms>>, identity: string): FindingKind[] {
  return csms.recorder.findings(identity).map((f) => f.kind);
}

function statusPayload(version: OcppVersion): Record<string, unknown> {
  return version === '1.6'
    ? { connectorId: 1, errorCode: 'NoError', status: 'Available' }
    : { timestamp: new Date(0).toISOString(), connectorStatus: 'Available', evseId: 1, connectorId: 1 };
}

for (const version of VERSIONS) {
  describe(`findings, OCPP ${version}`, () => {
    it('correct traffic yields no finding (boot, heartbeat, status, data transfer, an unemulated action)', async () => {
      const csms = await startCsms();
      try {
        const client = await bootedClient(csms, 'CP1', version);
        assert.equal((await client.call('Heartbeat', {}))[0], 3);
        assert.equal((await client.call('StatusNotification', statusPayload(version)))[0], 3);
        const dt = await client.call('DataTransfer', { vendorId: 'acme', data: '1' });
        assert.deepEqual(dt[2], { status: 'Accepted' });
        const unemulated = version === '1.6' ? ['ClearCache', {}] : ['ClearCache', {}];
        const answer = await client.call(unemulated[0] as string, unemulated[1] as Record<string, unknown>);
        assert.equal(answer[0], 4);
        assert.equal(answer[2], 'NotImplemented');
        await client.close();
        await closeOf(csms, 'CP1', 1);
        assert.deepEqual(kinds(csms, 'CP1'), []);
      } finally {
        await csms.close();
      }
    });

    it('schema violation: CALLERROR with the version code, finding with the AJV path', async () => {
      const csms = await startCsms();
      try {
        const client = await connect(csms.url('CP1'), subprotocol(version));
        const broken = version === '1.6' ? { chargePointVendor: 'Acme' } : { reason: 'PowerUp' };
        const answer = await client.call('BootNotification', broken);
        assert.equal(answer[0], 4);
        assert.equal(
          answer[2],
          version === '1.6' ? 'OccurenceConstraintViolation' : 'OccurrenceConstraintViolation',
        );
        const { finding } = await findingOf(csms, 'CP1', 'schema-violation');
        const errors = finding.evidence['errors'] as Array<{ path: string }>;
        assert.equal(errors[0]?.path, version === '1.6' ? '/chargePointModel' : '/chargingStation');
        assert.equal(finding.connection, 1);
      } finally {
        await csms.close();
      }
    });

    it('malformed frame: garbage answered with id "-1"; a bad CALL with its id; a broken CALLRESULT not answered', async () => {
      const csms = await startCsms();
      try {
        const client = await connect(csms.url('CP1'), subprotocol(version));
        client.send('this is not json');
        const answer = await client.answerTo('-1');
        assert.equal(answer[2], version === '1.6' ? 'ProtocolError' : 'RpcFrameworkError');
        client.send([2, 'id-7', 'Heartbeat']);
        const second = await client.answerTo('id-7');
        assert.equal(second[0], 4);
        client.send([3, 'id-8']);
        client.send([2, 'id-9', 'Heartbeat', 'not an object']);
        const third = await client.answerTo('id-9');
        assert.equal(third[2], version === '1.6' ? 'FormationViolation' : 'FormatViolation');
        assert.equal(client.received.filter((f) => f[1] === 'id-8').length, 0);
        assert.deepEqual(kinds(csms, 'CP1'), [
          'malformed-frame',
          'malformed-frame',
          'malformed-frame',
          'malformed-frame',
        ]);
      } finally {
        await csms.close();
      }
    });

    it('CALL before boot accepted: SecurityError and a finding, also while Pending; BootNotification itself is fine', async () => {
      const csms = await startCsms({ bootAnswer: { status: 'Pending', intervalS: 30 } });
      try {
        const client = await connect(csms.url('CP1'), subprotocol(version));
        const early = await client.call('Heartbeat', {});
        assert.equal(early[2], 'SecurityError');
        const boot = await client.boot(version);
        assert.equal((boot[2] as { status: string }).status, 'Pending');
        const pending = await client.call('Heartbeat', {});
        assert.equal(pending[2], 'SecurityError');
        const found = csms.recorder.findings('CP1');
        assert.deepEqual(
          found.map((f) => [f.kind, f.evidence['registration']]),
          [
            ['call-before-boot-accepted', 'none'],
            ['call-before-boot-accepted', 'Pending'],
          ],
        );
      } finally {
        await csms.close();
      }
    });

    it('TriggerMessage while Pending allows the next requested CALL (once)', async () => {
      const csms = await startCsms({ bootAnswer: { status: 'Pending', intervalS: 30 } });
      try {
        const client = await connect(csms.url('CP1'), subprotocol(version));
        await client.boot(version);
        const trigger = csms.script('CP1').sendCall('TriggerMessage', { requestedMessage: 'Heartbeat' });
        const request = await client.next((f) => f[0] === 2 && f[2] === 'TriggerMessage', 'the trigger');
        client.send([3, request[1], { status: 'Accepted' }]);
        assert.deepEqual(await within(3000, 'trigger result', trigger), { status: 'Accepted' });
        assert.equal((await client.call('Heartbeat', {}))[0], 3);
        assert.deepEqual(kinds(csms, 'CP1'), []);
        assert.equal((await client.call('Heartbeat', {}))[2], 'SecurityError');
        assert.deepEqual(kinds(csms, 'CP1'), ['call-before-boot-accepted']);
      } finally {
        await csms.close();
      }
    });

    it('a second CALL while one is unanswered', async () => {
      const clock = new VirtualClock(0);
      const csms = await startCsms({ clock });
      try {
        const client = await bootedClient(csms, 'CP1', version);
        csms.script('CP1').delayAnswers(1000, 'Heartbeat');
        client.sendCall('Heartbeat', {}, 'hb-1');
        client.sendCall('Heartbeat', {}, 'hb-2');
        const { finding } = await findingOf(csms, 'CP1', 'concurrent-call');
        assert.equal(finding.evidence['unansweredId'], 'hb-1');
        clock.advance(1000);
        await client.answerTo('hb-1');
        await client.answerTo('hb-2');
        client.sendCall('Heartbeat', {}, 'hb-3');
        await received(csms, 'hb-3');
        clock.advance(1000);
        await client.answerTo('hb-3');
        assert.deepEqual(kinds(csms, 'CP1'), ['concurrent-call']);
      } finally {
        await csms.close();
      }
    });

    it('message id reused within a connection and across a reconnect', async () => {
      const csms = await startCsms();
      try {
        const first = await bootedClient(csms, 'CP1', version);
        await first.call('Heartbeat', {}, 'same');
        await first.call('Heartbeat', {}, 'same');
        await first.close();
        await closeOf(csms, 'CP1', 1);
        const second = await connect(csms.url('CP1'), subprotocol(version));
        await second.call('Heartbeat', {}, 'same');
        const found = csms.recorder.findings('CP1').filter((f) => f.kind === 'message-id-reused');
        assert.deepEqual(
          found.map((f) => [f.connection, f.evidence['firstConnection']]),
          [
            [1, 1],
            [2, 1],
          ],
        );
      } finally {
        await csms.close();
      }
    });

    it('a second concurrent connection for one identity', async () => {
      const csms = await startCsms();
      try {
        const a = await connect(csms.url('CP1'), subprotocol(version));
        const b = await connect(csms.url('CP1'), subprotocol(version));
        const { finding } = await findingOf(csms, 'CP1', 'concurrent-connection');
        assert.deepEqual(finding.evidence, { openConnection: 1, newConnection: 2 });
        await a.close();
        await b.close();
      } finally {
        await csms.close();
      }
    });

    it('CALLRESULT / CALLERROR for an unknown id', async () => {
      const csms = await startCsms();
      try {
        const client = await bootedClient(csms, 'CP1', version);
        client.send([3, 'never-sent', {}]);
        client.send([4, 'never-sent-2', 'GenericError', '', {}]);
        await findingOf(csms, 'CP1', 'unknown-call-id');
        await client.call('Heartbeat', {});
        assert.deepEqual(kinds(csms, 'CP1'), ['unknown-call-id', 'unknown-call-id']);
        assert.equal(client.received.filter((f) => f[0] === 4).length, 0);
      } finally {
        await csms.close();
      }
    });

    it('boot retried sooner than the interval (virtual clock, tolerance 0); on time is fine', async () => {
      const clock = new VirtualClock(0);
      const csms = await startCsms({ clock, bootAnswer: { status: 'Pending', intervalS: 10 } });
      try {
        const client = await connect(csms.url('CP1'), subprotocol(version));
        await client.boot(version);
        clock.advance(10_000);
        await client.boot(version);
        assert.deepEqual(kinds(csms, 'CP1'), []);
        clock.advance(9_999);
        await client.boot(version);
        const { finding } = await findingOf(csms, 'CP1', 'boot-retry-too-soon');
        assert.equal(finding.evidence['earlyByMs'], 1);
      } finally {
        await csms.close();
      }
    });

    it('a boot retry within the timing tolerance is not a finding', async () => {
      const clock = new VirtualClock(0);
      const csms = await startCsms({
        clock,
        timingToleranceMs: 50,
        bootAnswer: { status: 'Rejected', intervalS: 1 },
      });
      try {
        const client = await connect(csms.url('CP1'), subprotocol(version));
        await client.boot(version);
        clock.advance(960);
        await client.boot(version);
        assert.deepEqual(kinds(csms, 'CP1'), []);
      } finally {
        await csms.close();
      }
    });

    it('binary frame: finding, ignored, the connection goes on', async () => {
      const csms = await startCsms();
      try {
        const client = await bootedClient(csms, 'CP1', version);
        client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
        await findingOf(csms, 'CP1', 'binary-frame');
        assert.equal((await client.call('Heartbeat', {}))[0], 3);
      } finally {
        await csms.close();
      }
    });

    it('unknown message type: MessageTypeNotSupported in 2.0.1, ignored in 1.6', async () => {
      const csms = await startCsms();
      try {
        const client = await bootedClient(csms, 'CP1', version);
        client.send([5, 'odd', {}]);
        await findingOf(csms, 'CP1', 'unknown-message-type');
        if (version === '2.0.1') {
          assert.equal((await client.answerTo('odd'))[2], 'MessageTypeNotSupported');
        } else {
          await client.call('Heartbeat', {});
          assert.equal(client.received.filter((f) => f[1] === 'odd').length, 0);
        }
      } finally {
        await csms.close();
      }
    });

    it('unknown action: NotImplemented and a finding', async () => {
      const csms = await startCsms();
      try {
        const client = await bootedClient(csms, 'CP1', version);
        const answer = await client.call('NoSuchAction', {});
        assert.equal(answer[2], 'NotImplemented');
        assert.deepEqual(kinds(csms, 'CP1'), ['unknown-action']);
      } finally {
        await csms.close();
      }
    });

    it('invalid response to a CSMS CALL: finding and the call rejects; a valid CALLERROR is no finding', async () => {
      const csms = await startCsms();
      try {
        const client = await bootedClient(csms, 'CP1', version);
        const script = csms.script('CP1');
        const first = script.sendCall('TriggerMessage', { requestedMessage: 'Heartbeat' });
        const request = await client.next((f) => f[2] === 'TriggerMessage');
        client.send([3, request[1], { status: 'Bogus' }]);
        await assert.rejects(within(3000, 'rejection', first), { name: 'ValidationError' });
        const second = script.sendCall('DataTransfer', { vendorId: 'acme' });
        const dt = await client.next((f) => f[2] === 'DataTransfer');
        client.send([4, dt[1], 'NotImplemented', 'nope', {}]);
        await assert.rejects(within(3000, 'rejection', second), {
          name: 'CallErrorResponse',
          code: 'NotImplemented',
        });
        assert.deepEqual(kinds(csms, 'CP1'), ['invalid-response']);
      } finally {
        await csms.close();
      }
    });

    it('message too big: closed with 1009, a finding, the server survives', async () => {
      const csms = await startCsms({ maxPayload: 64 * 1024 });
      try {
        const client = await bootedClient(csms, 'CP1', version);
        const other = await bootedClient(csms, 'CP2', version);
        client.sendCall('DataTransfer', { vendorId: 'acme', data: 'x'.repeat(100 * 1024) });
        const close = await closeOf(csms, 'CP1', 1);
        assert.equal(close.code, 1009);
        assert.equal(close.by, 'csms');
        assert.deepEqual(kinds(csms, 'CP1'), ['message-too-big']);
        assert.equal((await other.call('Heartbeat', {}))[0], 3);
        assert.deepEqual(kinds(csms, 'CP2'), []);
      } finally {
        await csms.close();
      }
    });
  });
}

describe('findings carry their evidence and are emitted', () => {
  it("emits 'finding' and 'event' with the recorded finding", async () => {
    const csms = await startCsms();
    try {
      const emitted: string[] = [];
      csms.on('finding', (f: { kind: string }) => emitted.push(f.kind));
      const client = await connect(csms.url('CP1'));
      client.send('[');
      await findingOf(csms, 'CP1', 'malformed-frame');
      assert.deepEqual(emitted, ['malformed-frame']);
      const [finding] = csms.recorder.findings('CP1');
      assert.equal(finding?.identity, 'CP1');
      assert.equal(finding?.evidence['text'], '[');
      assert.equal(typeof finding?.at, 'number');
      await client.boot('1.6');
      assert.equal(bootPayload('1.6')['chargePointVendor'], 'Acme');
    } finally {
      await csms.close();
    }
  });
});
