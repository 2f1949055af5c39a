import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ScenarioVerdict } from '../../bin/verdicts';

const work = mkdtempSync(join(tmpdir(), 'conformance-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs the conformance command as a user would; bounded in time. */
function conformance(
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'ts-node/register', 'bin/conformance.ts', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`conformance ${args.join(' ')} took over ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run conformance -- --sut FILE', () => {
  it('rejects a malformed SUT file with a one-line error naming the field, exit 2', async () => {
    const file = join(work, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'x',
        ocppVersion: '1.6',
        identity: 'X',
        command: 'cp {url}',
        policy: { jitter: 1 },
      }),
    );
    const result = await conformance(['--sut', file], 30_000);
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /field "policy\.jitter" is not a SUT file field/);
  });

  it('rejects an unknown option with the usage, exit 2', async () => {
    const result = await conformance(['--sut-file', 'x.json'], 30_000);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown option --sut-file/);
    assert.match(result.stderr, /usage: npm run conformance/);
  });

  it('fails the broken example exactly where its fault breaks a rule, and says why', async () => {
    const reports = join(work, 'broken');
    const tags =
      '@Reconnect_Basic or @AbruptTermination or @Boot_PendingThenAccepted or @SendWhileOffline_FailsFast';
    const result = await conformance(
      ['--sut', 'examples/sut-broken-cp.json', '--tags', tags, '--reports', reports],
      240_000,
    );
    assert.equal(result.code, 1, `the run must fail\n${result.stdout.slice(-3000)}`);
    const { verdicts } = JSON.parse(readFileSync(join(reports, 'verdicts.json'), 'utf8')) as {
      verdicts: ScenarioVerdict[];
    };
    const byTag = (tag: string, version: string) =>
      verdicts.filter((v) => v.tags.includes(tag) && v.tags.includes(version)).map((v) => v.verdict);
    // No back-off: both reconnect scenarios fail, with the measured delay and the window.
    assert.deepEqual(byTag('@Reconnect_Basic', '@ocpp16'), ['FAIL']);
    assert.deepEqual(byTag('@AbruptTermination', '@ocpp16'), ['FAIL']);
    const reconnect = verdicts.find((v) => v.tags.includes('@Reconnect_Basic') && v.tags.includes('@ocpp16'));
    assert.match(
      reconnect?.detail.join(' ') ?? '',
      /attempt 1 reconnected after \d+ ms; expected \d+–\d+ ms/,
    );
    // The boot is not affected by the fault.
    assert.deepEqual(byTag('@Boot_PendingThenAccepted', '@ocpp16'), ['PASS']);
    // A 1.6-only charge point: the 2.0.1 scenarios and the reference-only ones are NOT APPLICABLE, with the reason.
    assert.deepEqual(byTag('@Reconnect_Basic', '@ocpp201'), ['NOT APPLICABLE']);
    const offline = verdicts.filter((v) => v.tags.includes('@SendWhileOffline_FailsFast'));
    assert.ok(offline.length === 2 && offline.every((v) => v.verdict === 'NOT APPLICABLE'));
    assert.match(offline[0]?.detail.join(' ') ?? '', /reference-only/);
    assert.match(result.stdout, /Conformance verdicts — broken charge point: no back-off/);
    assert.match(result.stdout, /^\d+ passed, \d+ failed, \d+ skipped$/m);
  });

  it('finds the real faults of a charge point written on another stack (ocpp-rpc), and says what they are', async () => {
    const reports = join(work, 'ocpp-rpc');
    const tags = '@Backoff_ExpJitter and @ocpp16';
    const result = await conformance(
      ['--sut', 'examples/sut-ocpp-rpc-cp.json', '--tags', tags, '--reports', reports],
      120_000,
    );
    assert.equal(result.code, 1, result.stdout.slice(-3000));
    const { verdicts } = JSON.parse(readFileSync(join(reports, 'verdicts.json'), 'utf8')) as {
      verdicts: ScenarioVerdict[];
    };
    const detail = (example: string) =>
      verdicts.find((v) => v.scenario.includes(example))?.detail.join(' ') ?? '';
    // Its back-off starts over on every successful open: attempt 2 comes at the initial delay.
    assert.match(
      detail('closed after the handshake'),
      /attempt 2 reconnected after 1\d\d ms; expected 150–250 ms/,
    );
    // It gives up when its very first connection is refused: the wait ends at once, with the reason.
    assert.match(detail('upgrade refused'), /cannot happen any more: .* exited with code 1/);
    assert.ok(verdicts.every((v) => v.verdict === 'FAIL'));
  });
});
