/**
 * The flags every bench script understands: `--smoke` (a run of a few seconds that only proves
 * the script works) and `--seconds S` (the time budget of one measured phase).
 */
import { parseArgs } from 'node:util';

export interface BenchArgs {
  /** A short run that only proves the script works (the unit tests use it). */
  readonly smoke: boolean;
  /** Time budget of one measured phase, in seconds. */
  readonly seconds: number;
  /** Flags a script defines itself, as strings. */
  readonly extra: Readonly<Record<string, string | undefined>>;
}

export function benchArgs(defaultSeconds: number, extra: readonly string[] = []): BenchArgs {
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    smoke: { type: 'boolean' },
    seconds: { type: 'string' },
  };
  for (const name of extra) options[name] = { type: 'string' };
  const { values } = parseArgs({ options, allowPositionals: false, strict: true });
  const smoke = values['smoke'] === true;
  const raw = values['seconds'];
  const seconds = typeof raw === 'string' ? Number(raw) : smoke ? 0 : defaultSeconds;
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`--seconds: not a number ≥ 0: ${raw}`);
  const rest: Record<string, string | undefined> = {};
  for (const name of extra) {
    const value = values[name];
    rest[name] = typeof value === 'string' ? value : undefined;
  }
  return { smoke, seconds, extra: rest };
}
