import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolvePolicy } from '../../src/chargepoint/policy';
import { systemClock } from '../../src/clock';
import { ExternalSut, splitCommand } from '../../support/sut/external';
import { loadSutFile, parseSutFile, SutFileError } from '../../support/sut/sut-file';

const VALID = {
  name: 'Acme CP',
  ocppVersion: '1.6',
  identity: 'ACME1',
  command: 'acme-cp --url {url} --initial {initialBackoffMs}',
  policy: {
    initialBackoffMs: 1000,
    maxBackoffMs: 60000,
    jitterRatio: 0.1,
    resumeDelayMs: 0,
    rebootOnReconnect: true,
  },
};

function errorOf(data: unknown): string {
  try {
    parseSutFile(data, 'sut.json');
  } catch (error) {
    assert.ok(error instanceof SutFileError, String(error));
    assert.ok(!error.message.includes('\n'), 'the error is one line');
    return error.message;
  }
  assert.fail('the SUT file was accepted');
}

describe('SUT file', () => {
  it('accepts the examples shipped with the project', () => {
    assert.equal(loadSutFile('examples/sut-reference-cp.json').identity, 'REFCP001');
    assert.equal(loadSutFile('examples/sut-broken-cp.json').ocppVersion, '1.6');
    assert.equal(parseSutFile(VALID).name, 'Acme CP');
  });

  const cases: Array<[string, unknown, RegExp]> = [
    ['a missing field', { ...VALID, name: undefined }, /field "name" .*required|field "name"/],
    ['a bad version', { ...VALID, ocppVersion: '2.0' }, /field "ocppVersion"/],
    ['an identity with a colon', { ...VALID, identity: 'a:b' }, /field "identity"/],
    ['an identity over 48 characters', { ...VALID, identity: 'x'.repeat(49) }, /field "identity"/],
    [
      'an unknown policy field',
      { ...VALID, policy: { initialBackoff: 5 } },
      /field "policy.initialBackoff" is not a SUT file field/,
    ],
    ['a negative number', { ...VALID, policy: { maxBackoffMs: -1 } }, /field "policy.maxBackoffMs"/],
    ['a command without {url}', { ...VALID, command: 'acme-cp' }, /field "command" must contain the \{url\}/],
    ['no command and no port', { ...VALID, command: null }, /field "csmsPort" is required/],
    [
      'several versions without {ocppVersion}',
      { ...VALID, ocppVersion: ['1.6', '2.0.1'] },
      /\{ocppVersion\}/,
    ],
    ['an unknown top-level field', { ...VALID, colour: 'red' }, /field "colour" is not a SUT file field/],
  ];
  for (const [what, data, expected] of cases) {
    it(`rejects ${what} with a one-line error naming the field`, () => {
      const copy = JSON.parse(JSON.stringify(data));
      assert.match(errorOf(copy), expected);
    });
  }

  it('says when the file is missing or not JSON', () => {
    assert.throws(() => loadSutFile('examples/does-not-exist.json'), /cannot read it \(ENOENT\)/);
    assert.throws(() => loadSutFile('README.md'), /README\.md: not JSON/);
    assert.throws(() => loadSutFile('package.json'), /package\.json: field "ocppVersion" is required/);
  });
});

describe('external charge point command', () => {
  it('splits a command like a shell would, without a shell', () => {
    assert.deepEqual(splitCommand(`cp --name "two words" --x 'a b' plain`), [
      'cp',
      '--name',
      'two words',
      '--x',
      'a b',
      'plain',
    ]);
    assert.throws(() => splitCommand('cp "open'), /unbalanced/);
  });

  it('fills the url, identity and the scenario policy into the placeholders', () => {
    const sut = new ExternalSut(
      parseSutFile({
        ...VALID,
        command: 'cp {url} {identity} {initialBackoffMs} {retryBackOffWaitMinimumS}',
      }),
    );
    const words = sut.commandLine({
      url: 'ws://127.0.0.1:1/ocpp/X1',
      identity: 'X1',
      version: '1.6',
      policy: resolvePolicy({ initialBackoffMs: 100, retryBackOffWaitMinimumMs: 1500 }),
      clock: systemClock,
    });
    assert.deepEqual(words, ['cp', 'ws://127.0.0.1:1/ocpp/X1', 'X1', '100', '1.5']);
    const typo = new ExternalSut(parseSutFile({ ...VALID, command: 'cp {url} {initialBackofMs}' }));
    assert.throws(
      () =>
        typo.commandLine({
          url: 'u',
          identity: 'X',
          version: '1.6',
          policy: resolvePolicy(),
          clock: systemClock,
        }),
      /unknown placeholder \{initialBackofMs\}/,
    );
  });

  it('keeps placeholder fields from the scenario and replaces the others with the claimed policy', () => {
    const sut = new ExternalSut(parseSutFile(VALID));
    const scenario = resolvePolicy({
      initialBackoffMs: 100,
      maxBackoffMs: 1600,
      jitterRatio: 0.2,
      resumeDelayMs: 250,
    });
    const verdict = sut.policyInForce(scenario, { pings: false, version: '1.6' });
    assert.equal(verdict.applicable, true);
    assert.equal(verdict.policy.initialBackoffMs, 100, 'taken through {initialBackoffMs}');
    assert.equal(verdict.policy.maxBackoffMs, 60000, 'the claim replaces the scenario');
    assert.equal(verdict.policy.resumeDelayMs, 0);
    assert.ok(verdict.replaced.some((r) => r.startsWith('maxBackoffMs: 1600 → 60000')));
  });

  it('is NOT APPLICABLE, with the reason, for what the charge point cannot be given', () => {
    const sut = new ExternalSut(parseSutFile(VALID));
    const noReboot = sut.policyInForce(resolvePolicy({ rebootOnReconnect: false }), {
      pings: false,
      version: '1.6',
    });
    assert.equal(noReboot.applicable, false);
    assert.match(noReboot.reason ?? '', /rebootOnReconnect: false/);
    const ocpp201 = sut.policyInForce(resolvePolicy({ backoff: 'ocpp201' }), {
      pings: false,
      version: '1.6',
    });
    assert.match(ocpp201.reason ?? '', /ocpp201 back-off model/);
    const pings = sut.policyInForce(resolvePolicy(), { pings: true, version: '1.6' });
    assert.match(pings.reason ?? '', /client pings/);
    const version = sut.policyInForce(resolvePolicy(), { pings: false, version: '2.0.1' });
    assert.match(version.reason ?? '', /OCPP 2.0.1; Acme CP speaks 1.6/);
  });
});
