import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messagesFor } from '../../src/ocpp/messages';
import { sharedValidator } from '../../src/ocpp/validator';
import { OCPP_VERSIONS } from '../../src/ocpp/version';

const validator = sharedValidator();
const at = new Date('2026-01-02T03:04:05.678Z');

for (const version of OCPP_VERSIONS) {
  describe(`message builders (OCPP ${version})`, () => {
    const m = messagesFor(version);
    const requests: Array<[string, Record<string, unknown>]> = [
      ['BootNotification', m.bootNotificationRequest({ vendor: 'Acme', model: 'Ref', serialNumber: 'S1' })],
      [
        'BootNotification',
        m.bootNotificationRequest({ vendor: 'Acme', model: 'Ref', firmwareVersion: '1.0' }),
      ],
      ['Heartbeat', m.heartbeatRequest()],
      [
        'StatusNotification',
        m.statusNotificationRequest({ connectorId: 1, status: 'Available', timestamp: at }),
      ],
      [
        'StatusNotification',
        m.statusNotificationRequest({ connectorId: 2, status: 'Occupied', timestamp: at }),
      ],
      [
        'StatusNotification',
        m.statusNotificationRequest({ connectorId: 1, status: 'Faulted', timestamp: at }),
      ],
      [
        'DataTransfer',
        m.dataTransferRequest({ vendorId: 'org.example', messageId: 'seq', data: { seq: 1 } }),
      ],
      ['DataTransfer', m.dataTransferRequest({ vendorId: 'org.example' })],
      ['TriggerMessage', m.triggerMessageRequest('Heartbeat')],
      ['TriggerMessage', m.triggerMessageRequest('StatusNotification', 1)],
      ['TriggerMessage', m.triggerMessageRequest('BootNotification')],
    ];
    const responses: Array<[string, Record<string, unknown>]> = [
      ['BootNotification', m.bootNotificationResponse({ status: 'Accepted', intervalS: 60 }, at)],
      ['BootNotification', m.bootNotificationResponse({ status: 'Pending', intervalS: 5 }, at)],
      ['BootNotification', m.bootNotificationResponse({ status: 'Rejected', intervalS: 5 }, at)],
      ['Heartbeat', m.heartbeatResponse(at)],
      ['StatusNotification', m.statusNotificationResponse()],
      ['DataTransfer', m.dataTransferResponse('Accepted', { ok: true })],
      ['DataTransfer', m.dataTransferResponse('UnknownVendorId')],
      ['TriggerMessage', m.triggerMessageResponse('Accepted')],
      ['TriggerMessage', m.triggerMessageResponse('Rejected')],
      ['TriggerMessage', m.triggerMessageResponse('NotImplemented')],
    ];
    requests.forEach(([action, payload], i) => {
      it(`request ${i + 1} (${action}) validates against the official schema`, () => {
        assert.equal(validator.validateRequest(version, action, payload), undefined, JSON.stringify(payload));
      });
    });
    responses.forEach(([action, payload], i) => {
      it(`response ${i + 1} (${action}) validates against the official schema`, () => {
        assert.equal(
          validator.validateResponse(version, action, payload),
          undefined,
          JSON.stringify(payload),
        );
      });
    });
    it('reads back what it builds', () => {
      const boot = m.bootNotificationResponse({ status: 'Pending', intervalS: 7 }, at);
      assert.deepEqual(m.readBootNotificationResponse(boot), { status: 'Pending', intervalS: 7 });
      assert.deepEqual(m.readTriggerMessageRequest(m.triggerMessageRequest('StatusNotification', 2)), {
        message: 'StatusNotification',
        connectorId: 2,
      });
      assert.deepEqual(m.readTriggerMessageRequest(m.triggerMessageRequest('Heartbeat')), {
        message: 'Heartbeat',
      });
    });
  });
}
