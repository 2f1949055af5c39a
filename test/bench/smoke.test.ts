/**
 * Keeps the bench scripts working: each one runs in smoke mode (a few seconds) as a child
 * process and must exit 0 and print its table. The figures themselves are not checked.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.join(__dirname, '..', '..');
const TIMEOUT_MS = 30_000;

const SCRIPTS: ReadonlyArray<[script: string, header: string]> = [
  ['roundtrip.ts', '### Round-trip ratios'],
  ['validation.ts', '### Per-frame path (no sockets)'],
  ['fleet.ts', '### Fleet scale'],
  ['herd.ts', '### Thundering herd: summary'],
  ['suite-speed.ts', '### Suite speed'],
];

describe('bench scripts (smoke runs)', () => {
  for (const [script, header] of SCRIPTS) {
    it(`${script} --smoke exits 0 and prints "${header}"`, { timeout: TIMEOUT_MS + 5_000 }, () => {
      const started = Date.now();
      const result = spawnSync(
        process.execPath,
        ['--expose-gc', '--require', 'ts-node/register', path.join('bench', script), '--smoke'],
        { cwd: ROOT, encoding: 'utf8', timeout: TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const seconds = (Date.now() - started) / 1000;
      assert.equal(
        result.status,
        0,
        `exit ${result.status} (${result.signal ?? 'no signal'})\n${result.stderr}`,
      );
      assert.ok(result.stdout.includes(header), `no "${header}" in:\n${result.stdout}`);
      assert.ok(seconds < TIMEOUT_MS / 1000, `took ${seconds} s`);
    });
  }
});
