import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OcppValidator, sharedValidator } from '../../src/ocpp/validator';

const validator = sharedValidator();

describe('OcppValidator', () => {
  it('accepts valid BootNotification requests of both versions', () => {
    assert.equal(
      validator.validateRequest('1.6', 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }),
      undefined,
    );
    assert.equal(
      validator.validateRequest('2.0.1', 'BootNotification', {
        reason: 'PowerUp',
        chargingStation: { vendorName: 'V', model: 'M' },
      }),
      undefined,
    );
  });

  it('rejects a 1.6 BootNotification without a model and names the field', () => {
    const failure = validator.validateRequest('1.6', 'BootNotification', { chargePointVendor: 'V' });
    assert.ok(failure && failure.kind === 'invalid');
    assert.deepEqual(
      failure.errors.map((e) => [e.path, e.rule]),
      [['/chargePointModel', 'required']],
    );
    assert.equal(failure.code, 'OccurenceConstraintViolation');
  });

  it('rejects a 2.0.1 BootNotification without a model and names the nested field', () => {
    const failure = validator.validateRequest('2.0.1', 'BootNotification', {
      reason: 'PowerUp',
      chargingStation: { vendorName: 'V' },
    });
    assert.ok(failure && failure.kind === 'invalid');
    assert.deepEqual(
      failure.errors.map((e) => [e.path, e.rule]),
      [['/chargingStation/model', 'required']],
    );
    assert.equal(failure.code, 'OccurrenceConstraintViolation');
  });

  it('reports every violation, each with its path and rule, and maps the code per kind', () => {
    const failure = validator.validateRequest('1.6', 'BootNotification', {
      chargePointVendor: 'V'.repeat(21),
      chargePointModel: 5,
      extra: true,
    });
    assert.ok(failure && failure.kind === 'invalid');
    const seen = failure.errors.map((e) => `${e.path}:${e.rule}`).sort();
    assert.deepEqual(seen, ['/chargePointModel:type', '/extra:additionalProperties']);
    assert.equal(failure.code, 'FormationViolation', 'an unexpected field (structure) outranks a wrong type');
    const typeOnly = validator.validateRequest('1.6', 'BootNotification', {
      chargePointVendor: 'V',
      chargePointModel: 5,
    });
    assert.equal(typeOnly?.kind === 'invalid' && typeOnly.code, 'TypeConstraintViolation');
  });

  it('checks maxLength, enum and date-time format', () => {
    const tooLong = validator.validateRequest('1.6', 'BootNotification', {
      chargePointVendor: 'V'.repeat(51),
      chargePointModel: 'M',
    });
    assert.equal(tooLong?.kind === 'invalid' && tooLong.code, 'PropertyConstraintViolation');
    const badEnum = validator.validateResponse('2.0.1', 'BootNotification', {
      status: 'Maybe',
      currentTime: '2024-01-01T00:00:00Z',
      interval: 10,
    });
    assert.ok(
      badEnum?.kind === 'invalid' && badEnum.errors.some((e) => e.rule === 'enum' && e.path === '/status'),
    );
    const badTime = validator.validateResponse('1.6', 'Heartbeat', { currentTime: 'yesterday' });
    assert.ok(badTime?.kind === 'invalid' && badTime.errors[0]?.rule === 'format');
  });

  it('uses the 2.0.1 spelling FormatViolation and the 1.6 spelling FormationViolation for structure', () => {
    const v16 = validator.validateResponse('1.6', 'Heartbeat', { currentTime: '2024-01-01T00:00:00Z', x: 1 });
    const v201 = validator.validateResponse('2.0.1', 'Heartbeat', {
      currentTime: '2024-01-01T00:00:00Z',
      x: 1,
    });
    assert.equal(v16?.kind === 'invalid' && v16.code, 'FormationViolation');
    assert.equal(v201?.kind === 'invalid' && v201.code, 'FormatViolation');
  });

  it('accepts decimals that are multiples of 0.1 despite floating point', () => {
    const payload = {
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: {
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 0.3 }],
        },
      },
    };
    assert.equal(validator.validateRequest('1.6', 'SetChargingProfile', payload), undefined);
  });

  it('treats an action the version does not have as its own result, never a pass', () => {
    const missing = validator.validateRequest('1.6', 'TransactionEvent', {});
    assert.equal(missing?.kind, 'unknown-action');
    assert.equal(validator.validateRequest('2.0.1', 'StartTransaction', {})?.kind, 'unknown-action');
    assert.equal(validator.validateRequest('2.0.1', '__proto__', {})?.kind, 'unknown-action');
    assert.equal(validator.hasAction('2.0.1', 'TransactionEvent'), true);
    assert.equal(validator.hasAction('1.6', 'TransactionEvent'), false);
  });

  it('does not change the payload (no defaults, no coercion, no removal)', () => {
    const payload = { chargePointVendor: 'V', chargePointModel: 'M', extra: '1' };
    const before = JSON.stringify(payload);
    validator.validateRequest('1.6', 'BootNotification', payload);
    assert.equal(JSON.stringify(payload), before);
    const coerced = validator.validateResponse('1.6', 'BootNotification', {
      status: 'Accepted',
      currentTime: '2024-01-01T00:00:00Z',
      interval: '10',
    });
    assert.equal(coerced?.kind, 'invalid');
  });

  it('compiles every schema of both versions', () => {
    const fresh = new OcppValidator();
    const count = fresh.compileAll();
    assert.equal(count, (fresh.actions('1.6').length + fresh.actions('2.0.1').length) * 2);
    assert.ok(fresh.actions('1.6').includes('BootNotification'));
    assert.ok(fresh.actions('2.0.1').includes('TransactionEvent'));
    assert.ok(fresh.actions('1.6').length >= 28, `1.6 actions: ${fresh.actions('1.6').length}`);
    assert.ok(fresh.actions('2.0.1').length >= 64, `2.0.1 actions: ${fresh.actions('2.0.1').length}`);
  });

  it('validates a BootNotification in microseconds, not milliseconds', () => {
    const payload = { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } };
    validator.validateRequest('2.0.1', 'BootNotification', payload);
    const rounds = 20_000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) validator.validateRequest('2.0.1', 'BootNotification', payload);
    const perCallUs = Number(process.hrtime.bigint() - start) / 1000 / rounds;
    assert.ok(perCallUs < 50, `validate took ${perCallUs.toFixed(2)} µs per call`);
  });
});
