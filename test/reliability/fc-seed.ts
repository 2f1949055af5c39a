/** The fast-check seed of the reliability properties: fixed by default, FC_SEED=<int> replays another run. */

export const DEFAULT_FC_SEED = 20_260_407;

export function fcSeed(): number {
  const raw = process.env['FC_SEED'];
  if (raw === undefined || raw === '') return DEFAULT_FC_SEED;
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return seed;
}

/** Runs per property (≥ 1000 in the normal run); FC_RUNS raises or lowers it. */
export function fcRuns(defaultRuns = 1000): number {
  const raw = process.env['FC_RUNS'];
  const runs = raw === undefined || raw === '' ? defaultRuns : Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`FC_RUNS must be a positive integer, got ${raw}`);
  return runs;
}
