import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultAnswer, emulatedActions, invalidAnswer } from '../../src/csms';
import { OCPP_VERSIONS, sharedValidator } from '../../src/ocpp';

const context = { now: new Date(0), nextTransactionId: () => 1 };

describe('default answers', () => {
  for (const version of OCPP_VERSIONS) {
    it(`every emulated OCPP ${version} answer is schema-valid and its invalid variant is not`, () => {
      const actions = emulatedActions(version);
      assert.ok(
        actions.includes('Heartbeat') && actions.includes('DataTransfer') && actions.includes('Authorize'),
      );
      for (const action of actions) {
        const answer = defaultAnswer(version, action, context);
        assert.equal(answer.kind, 'result', action);
        if (answer.kind !== 'result') continue;
        assert.equal(sharedValidator().validateResponse(version, action, answer.payload), undefined, action);
        const invalid = invalidAnswer(version, action, answer.payload);
        assert.equal(sharedValidator().validateResponse(version, action, invalid)?.kind, 'invalid', action);
      }
    });
  }

  it('an action the CSMS does not emulate is NotImplemented', () => {
    assert.deepEqual(defaultAnswer('1.6', 'Reset', context), { kind: 'not-implemented' });
    assert.deepEqual(defaultAnswer('2.0.1', 'Get15118EVCertificate', context), { kind: 'not-implemented' });
  });
});
