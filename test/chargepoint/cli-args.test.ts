import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArgs, redactUrl, UsageError } from '../../src/chargepoint/cli-args';

const URL_ARGS = ['--url', 'ws://127.0.0.1:9000/ocpp/CP001'];

function usageFlag(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    return error.flag;
  }
  assert.fail(`no usage error for ${argv.join(' ')}`);
}

describe('CLI flags', () => {
  it('defaults: OCPP 1.6 and the default policy', () => {
    const parsed = parseArgs(URL_ARGS);
    assert.equal(parsed.help, false);
    if (parsed.help) return;
    assert.equal(parsed.config.ocppVersion, '1.6');
    assert.equal(parsed.config.policy.initialBackoffMs, 500);
    assert.equal(parsed.config.policy.rebootOnReconnect, true);
  });

  it('reads every flag, with fractional seconds for the ocpp201 model', () => {
    const parsed = parseArgs([
      ...URL_ARGS,
      '--ocpp',
      '2.0.1',
      '--initial-backoff-ms',
      '100',
      '--max-backoff-ms=1600',
      '--jitter',
      '0.1',
      '--resume-delay-ms',
      '750',
      '--backoff',
      'ocpp201',
      '--wait-min-s',
      '0.25',
      '--random-range-s',
      '1.5',
      '--repeat-times',
      '3',
      '--no-reboot-on-reconnect',
      '--call-timeout-ms',
      '5000',
      '--ping-interval-ms',
      '2000',
      '--basic-auth',
      'CP001:pa:ss',
    ]);
    if (parsed.help) assert.fail('help');
    const { config } = parsed;
    assert.equal(config.ocppVersion, '2.0.1');
    assert.deepEqual(
      { ...config.policy },
      {
        backoff: 'ocpp201',
        initialBackoffMs: 100,
        maxBackoffMs: 1600,
        jitterRatio: 0.1,
        retryBackOffWaitMinimumMs: 250,
        retryBackOffRandomRangeMs: 1500,
        retryBackOffRepeatTimes: 3,
        resumeDelayMs: 750,
        rebootOnReconnect: false,
      },
    );
    assert.equal(config.callTimeoutMs, 5000);
    assert.equal(config.pingIntervalMs, 2000);
    assert.deepEqual(config.basicAuth, { username: 'CP001', password: 'pa:ss' });
  });

  it('names the bad flag', () => {
    assert.equal(usageFlag([...URL_ARGS, '--bogus']), '--bogus');
    assert.equal(usageFlag([]), '--url');
    assert.equal(usageFlag(['--url', 'http://x/ocpp/CP1']), '--url');
    assert.equal(usageFlag([...URL_ARGS, '--ocpp', '2.0']), '--ocpp');
    assert.equal(usageFlag([...URL_ARGS, '--jitter', '1.5']), '--jitter');
    assert.equal(usageFlag([...URL_ARGS, '--initial-backoff-ms', 'abc']), '--initial-backoff-ms');
    assert.equal(
      usageFlag([...URL_ARGS, '--initial-backoff-ms', '5000', '--max-backoff-ms', '100']),
      '--initial-backoff-ms',
    );
    assert.equal(usageFlag([...URL_ARGS, '--backoff', 'linear']), '--backoff');
    assert.equal(usageFlag([...URL_ARGS, '--repeat-times', '1.5']), '--repeat-times');
    assert.equal(usageFlag([...URL_ARGS, '--resume-delay-ms']), '--resume-delay-ms');
    assert.equal(usageFlag([...URL_ARGS, '--basic-auth', 'nopassword']), '--basic-auth');
  });

  it('--help', () => {
    assert.deepEqual(parseArgs(['--help']), { help: true });
  });

  it('redacts a password in a URL', () => {
    assert.equal(redactUrl('ws://cp:secret@127.0.0.1/ocpp/CP1'), 'ws://cp:***@127.0.0.1/ocpp/CP1');
    assert.equal(redactUrl('ws://127.0.0.1/ocpp/CP1'), 'ws://127.0.0.1/ocpp/CP1');
  });
});

describe('parseArgs: values for SUT-file placeholders', () => {
  it('takes --reboot-on-reconnect true|false and rejects anything else', () => {
    const off = parseArgs(['--url', 'ws://127.0.0.1:9000/ocpp/CP1', '--reboot-on-reconnect', 'false']);
    assert.ok(!off.help && off.config.policy.rebootOnReconnect === false);
    const on = parseArgs(['--url', 'ws://127.0.0.1:9000/ocpp/CP1', '--reboot-on-reconnect=true']);
    assert.ok(!on.help && on.config.policy.rebootOnReconnect === true);
    assert.throws(
      () => parseArgs(['--url', 'ws://127.0.0.1:9000/ocpp/CP1', '--reboot-on-reconnect', 'maybe']),
      /--reboot-on-reconnect: must be true or false/,
    );
  });

  it('treats --ping-interval-ms 0 as no pings', () => {
    const parsed = parseArgs([
      '--url',
      'ws://127.0.0.1:9000/ocpp/CP1',
      '--ping-interval-ms',
      '0',
      '--pong-timeout-ms',
      '0',
    ]);
    assert.ok(!parsed.help);
    assert.equal(parsed.config.pingIntervalMs, undefined);
    assert.equal(parsed.config.pongTimeoutMs, undefined);
  });
});
