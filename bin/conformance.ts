import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';
import { loadSutFile, SutFileError } from '../support/sut/sut-file';
import { type ScenarioVerdict, summarize, verdictTable } from './verdicts';

const PACKAGE_ROOT = resolve(__dirname, '..');

const USAGE = `usage: npm run conformance -- [--sut FILE] [--tags EXPRESSION] [--realtime]

  --sut FILE        validate a third-party charge point described by a SUT file (real time)
  --tags EXPR       run only the scenarios matching a Cucumber tag expression, e.g. "@Reconnect_Basic"
  --realtime        run the reference charge point on the system clock instead of the virtual one
  --parallel N      run N scenarios at once in worker processes (default 1)
  --reports DIR     where the reports go (default ./reports, or ./reports/realtime in real time)
  --help            this text

Reports: ./reports/cucumber-report.{html,xml,json} and verdicts.json
         (./reports/realtime/… with --realtime or --sut)`;

interface Args {
  sut?: string;
  tags?: string;
  reports?: string;
  parallel?: number;
  realtime: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { realtime: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const [name, inline] =
      flag.startsWith('--') && flag.includes('=') ? flag.split(/=(.*)/s, 2) : [flag, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--sut':
        args.sut = value();
        break;
      case '--tags':
        args.tags = value();
        break;
      case '--parallel': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1 || n > 16)
          throw new UsageError('--parallel needs a whole number from 1 to 16');
        args.parallel = n;
        break;
      }
      case '--reports':
        args.reports = value();
        break;
      case '--realtime':
        args.realtime = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        throw new UsageError(`unknown option ${name}`);
    }
  }
  return args;
}

class UsageError extends Error {}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`conformance: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  let sutName = 'reference charge point';
  if (args.sut !== undefined) {
    try {
      sutName = loadSutFile(args.sut).name;
    } catch (error) {
      if (!(error instanceof SutFileError)) throw error;
      process.stderr.write(`conformance: ${error.message}\n`);
      return 2;
    }
  }
  const external = args.sut !== undefined;
  const worldParameters = external
    ? { clock: 'system', sut: resolve(args.sut as string) }
    : { clock: args.realtime ? 'system' : 'virtual' };
  // Features and support code come from this package; reports go to the caller's directory.
  const dir = resolve(args.reports ?? (external || args.realtime ? 'reports/realtime' : 'reports'));
  const environment = { cwd: PACKAGE_ROOT, stdout: process.stdout, stderr: process.stderr };
  const { runConfiguration } = await loadConfiguration(
    {
      file: false,
      profiles: [],
      provided: {
        paths: [join(PACKAGE_ROOT, 'features/**/*.feature')],
        require: [join(PACKAGE_ROOT, 'support/**/*.ts'), join(PACKAGE_ROOT, 'step-definitions/**/*.ts')],
        requireModule: ['ts-node/register'],
        format: [
          'summary',
          `html:${dir}/cucumber-report.html`,
          `junit:${dir}/cucumber-report.xml`,
          `json:${dir}/cucumber-report.json`,
        ],
        formatOptions: { junit: { suiteName: `OCPP reconnect conformance — ${sutName}` } },
        strict: true,
        parallel: args.parallel ?? 0,
        worldParameters,
        ...(args.tags === undefined ? {} : { tags: args.tags }),
      },
    },
    environment,
  );
  const envelopes: Envelope[] = [];
  const started = Date.now();
  const { success } = await runCucumber(runConfiguration, environment, (envelope) =>
    envelopes.push(envelope),
  );
  const verdicts: ScenarioVerdict[] = summarize(envelopes);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    `${dir}/verdicts.json`,
    `${JSON.stringify({ sut: sutName, clock: worldParameters.clock, durationMs: Date.now() - started, verdicts }, null, 2)}\n`,
  );
  process.stdout.write(`\n${verdictTable(sutName, verdicts)}\n`);
  return success ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`conformance: ${error.stack ?? error.message}\n`);
    process.exitCode = 1;
  },
);
