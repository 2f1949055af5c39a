import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { before, describe, it } from 'node:test';
import type { IRunEnvironment, ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { loadConfiguration, loadSupport, runCucumber } from '@cucumber/cucumber/api';
import type { ChargePointFaults } from '../../src/chargepoint';

/**
 * The suite must fail broken charge points. Each case breaks the reference charge point one
 * rule at a time and runs the scenario that guards that rule through Cucumber's API: it must
 * FAIL with the expected message, and PASS with the fault off.
 */
interface Mutation {
  readonly fault: keyof ChargePointFaults;
  readonly tags: string;
  readonly expect: RegExp;
  readonly random?: number | 'max';
}

const MUTATIONS: readonly Mutation[] = [
  {
    fault: 'noJitterCap',
    tags: '@Backoff_ExpJitter and @ocpp16',
    random: 'max',
    expect: /attempt 5 reconnected after 19\d\d(\.\d)? ms; expected 1280–1600 ms/,
  },
  { fault: 'resendInFlight', tags: '@NoDoubleSend_AcrossReconnect and @ocpp16', expect: /received again/ },
  {
    fault: 'skipResumeDelay',
    tags: '@ResumeDelay_RespectsPolicy and @ocpp16',
    expect:
      /after the boot was accepted after 0 ms; expected 750–750 ms|arrived 0 ms after the boot was accepted/,
  },
  {
    fault: 'noReboot',
    tags: '@Reconnect_Basic and @ocpp16',
    expect: /the first message on the new connection was a Heartbeat, expected a BootNotification/,
  },
  {
    fault: 'resetAttemptsOnOpen',
    tags: '@Backoff_ExpJitter and @ocpp16',
    expect: /attempt 2 reconnected after \d+(\.\d)? ms; expected 160–240 ms/,
  },
  {
    fault: 'sendBeforeBootAccepted',
    tags: '@Boot_PendingThenAccepted and @ocpp16',
    expect: /before its boot was accepted the charge point sent a Heartbeat|call-before-boot-accepted/,
  },
  {
    fault: 'sendBeforeBootAccepted',
    tags: '@Boot_RejectedRetry and @ocpp201',
    expect: /before its boot was accepted the charge point sent a Heartbeat|call-before-boot-accepted/,
  },
  {
    fault: 'twoSockets',
    tags: '@SingleConnection and @ocpp16',
    expect: /open at the same time|concurrent-connection/,
  },
  {
    fault: 'pipelineCalls',
    tags: '@OneCallInFlight and @ocpp16',
    expect: /before the CSMS had answered it|concurrent-call/,
  },
  {
    fault: 'noBackoff',
    tags: '@AbruptTermination and @ocpp16',
    expect: /attempt 1 reconnected after 0 ms; expected 80–120 ms/,
  },
  {
    fault: 'noBackoff',
    tags: '@ServerUnreachable and @ocpp201',
    expect: /attempt 1 reconnected after 0 ms; expected 80–120 ms/,
  },
];

interface RunResult {
  readonly success: boolean;
  readonly scenarios: number;
  readonly failures: string[];
}

let support: ISupportCodeLibrary;
const environment: IRunEnvironment = { cwd: process.cwd(), stderr: process.stderr };

async function run(tags: string, worldParameters: object): Promise<RunResult> {
  const sink = new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
  const { runConfiguration } = await loadConfiguration(
    { provided: { tags, worldParameters: worldParameters as never }, profiles: [] },
    environment,
  );
  const failures: string[] = [];
  let scenarios = 0;
  const { success } = await runCucumber(
    { ...runConfiguration, support, formats: { stdout: 'summary', files: {}, options: {}, publish: false } },
    { ...environment, stdout: sink },
    (envelope) => {
      if (envelope.testCaseStarted) scenarios++;
      const result = envelope.testStepFinished?.testStepResult;
      if (result?.status === 'FAILED') failures.push(result.message ?? '');
    },
  );
  return { success, scenarios, failures };
}

describe('the conformance suite fails broken charge points', () => {
  before(async () => {
    const { runConfiguration } = await loadConfiguration({ provided: {}, profiles: [] }, environment);
    support = await loadSupport(runConfiguration, environment);
  });

  for (const mutation of MUTATIONS) {
    it(`${mutation.fault} fails ${mutation.tags} and passes without the fault`, async () => {
      const random = mutation.random === undefined ? {} : { random: mutation.random };
      const broken = await run(mutation.tags, { faults: { [mutation.fault]: true }, ...random });
      assert.ok(broken.scenarios > 0, `no scenario matched ${mutation.tags}`);
      assert.equal(broken.success, false, `${mutation.tags} passed with ${mutation.fault} on`);
      assert.ok(
        broken.failures.some((m) => mutation.expect.test(m)),
        `expected a failure matching ${mutation.expect}; got:\n${broken.failures.join('\n---\n')}`,
      );
      const healthy = await run(mutation.tags, { ...random });
      assert.ok(healthy.scenarios > 0);
      assert.equal(
        healthy.success,
        true,
        `${mutation.tags} failed without a fault:\n${healthy.failures.join('\n---\n')}`,
      );
    });
  }
});
