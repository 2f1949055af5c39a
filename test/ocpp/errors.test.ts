import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CallErrorResponse,
  CallTimeoutError,
  ConnectionClosedError,
  codeForSchemaKeyword,
  ERROR_CODES_16,
  ERROR_CODES_201,
  formatViolation,
  isErrorCode,
  occurrenceViolation,
  rpcFrameworkError,
  ValidationError,
} from '../../src/ocpp/errors';

describe('OCPP-J error codes', () => {
  it('spells each version its own way', () => {
    assert.equal(formatViolation('1.6'), 'FormationViolation');
    assert.equal(formatViolation('2.0.1'), 'FormatViolation');
    assert.equal(occurrenceViolation('1.6'), 'OccurenceConstraintViolation');
    assert.equal(occurrenceViolation('2.0.1'), 'OccurrenceConstraintViolation');
    assert.equal(rpcFrameworkError('1.6'), 'ProtocolError');
    assert.equal(rpcFrameworkError('2.0.1'), 'RpcFrameworkError');
    assert.ok(isErrorCode('2.0.1', 'MessageTypeNotSupported'));
    assert.ok(!isErrorCode('1.6', 'MessageTypeNotSupported'));
    assert.ok(!isErrorCode('1.6', 'FormatViolation'));
    assert.ok(!isErrorCode('2.0.1', 'FormationViolation'));
    assert.equal(ERROR_CODES_16.length, 10);
    assert.equal(ERROR_CODES_201.length, 12);
  });

  const table: Array<[string, string, string]> = [
    ['required', 'OccurenceConstraintViolation', 'OccurrenceConstraintViolation'],
    ['maxItems', 'OccurenceConstraintViolation', 'OccurrenceConstraintViolation'],
    ['type', 'TypeConstraintViolation', 'TypeConstraintViolation'],
    ['enum', 'PropertyConstraintViolation', 'PropertyConstraintViolation'],
    ['maxLength', 'PropertyConstraintViolation', 'PropertyConstraintViolation'],
    ['format', 'PropertyConstraintViolation', 'PropertyConstraintViolation'],
    ['additionalProperties', 'FormationViolation', 'FormatViolation'],
  ];
  for (const [keyword, v16, v201] of table) {
    it(`maps the schema rule ${keyword} to ${v16} (1.6) / ${v201} (2.0.1)`, () => {
      assert.equal(codeForSchemaKeyword('1.6', keyword), v16);
      assert.equal(codeForSchemaKeyword('2.0.1', keyword), v201);
      assert.ok(isErrorCode('1.6', codeForSchemaKeyword('1.6', keyword)));
      assert.ok(isErrorCode('2.0.1', codeForSchemaKeyword('2.0.1', keyword)));
    });
  }

  it('has typed error classes that carry their facts', () => {
    const closed = new ConnectionClosedError('Heartbeat');
    assert.ok(closed instanceof Error);
    assert.equal(closed.name, 'ConnectionClosedError');
    const timeout = new CallTimeoutError('Heartbeat', 'abc', 30_000);
    assert.match(timeout.message, /30000 ms/);
    const remote = new CallErrorResponse('DataTransfer', 'NotImplemented', 'nope', { a: 1 });
    assert.equal(remote.code, 'NotImplemented');
    const invalid = new ValidationError(
      'BootNotification',
      'request',
      [{ path: '/chargePointModel', rule: 'required', message: 'is required', schemaPath: '#/required' }],
      'OccurenceConstraintViolation',
    );
    assert.match(invalid.message, /\/chargePointModel is required \[required\]/);
    assert.equal(invalid.direction, 'request');
  });
});
