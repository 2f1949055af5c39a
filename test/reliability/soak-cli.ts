/**
 * `npm run soak -- --cycles 100000 [--calls 3] [--window 100] [--budget-s 3600]`: the soak engine
 * of soak.test.ts for as long as you like; prints one line per checkpoint and a summary, exits 1
 * on any duplicate, unsettled call, finding or unexpected outcome.
 */
import { runSoak } from './soak';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value <= 0) {
    process.stderr.write(`--${name} needs a positive whole number\n`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const cycles = flag('cycles', 1000);
  const result = await runSoak({
    cycles,
    callsPerCycle: flag('calls', 3),
    window: flag('window', 100),
    timeBudgetMs: flag('budget-s', 24 * 3600) * 1000,
    onCheckpoint: (c) =>
      process.stdout.write(
        `cycle ${c.cycle}: heap ${(c.heapUsed / 1048576).toFixed(2)} MiB, handles ${JSON.stringify(c.resources)}, listeners cp ${c.cpListeners} process ${c.processListeners}, ${(c.elapsedMs / 1000).toFixed(1)} s\n`,
      ),
  });
  const { checkpoints, ...summary } = result;
  const first = checkpoints[0];
  const last = checkpoints[checkpoints.length - 1];
  process.stdout.write(
    `${JSON.stringify({ ...summary, otherOutcomes: summary.otherOutcomes.length, heapGrowthBytes: first && last ? last.heapUsed - first.heapUsed : null })}\n`,
  );
  const ok =
    result.duplicateIds === 0 &&
    result.duplicateSeqs === 0 &&
    result.settled === result.calls &&
    result.otherOutcomes.length === 0 &&
    result.findings.length === 0;
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: Error) => {
  process.stderr.write(`soak failed: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
