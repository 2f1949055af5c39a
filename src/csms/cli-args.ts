import type { RegistrationStatus } from '../ocpp/messages';

export interface CliOptions {
  port: number;
  host: string;
  boot: RegistrationStatus;
  intervalS: number;
  dropAfterMs: number | undefined;
  basicAuth: { user: string; password: string } | undefined;
  tls: boolean;
  json: boolean;
  help: boolean;
}

export const USAGE = `usage: npm run csms -- [options]

  --port N             port to listen on (default 9000; 0 = any free port)
  --host H             address to listen on (default 127.0.0.1)
  --boot STATUS        BootNotification answer: Accepted | Pending | Rejected (default Accepted)
  --interval S         interval in the boot answer, seconds (default 60)
  --drop-after-ms N    close every connection N ms after it opens
  --basic-auth U:P     require Basic auth: identity U with password P (security profile 1)
  --tls                serve wss with a self-signed certificate generated at start (profile 2)
  --json               print each event as a JSON line
  --help               this text
`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function wholeNumber(flag: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new UsageError(`${flag} needs a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}`);
  return n;
}

/** Parses the CLI's arguments; throws UsageError on anything it does not understand. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    port: 9000,
    host: '127.0.0.1',
    boot: 'Accepted',
    intervalS: 60,
    dropAfterMs: undefined,
    basicAuth: undefined,
    tls: false,
    json: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    const value = (): string | undefined => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--port':
        options.port = wholeNumber(flag, value(), 0, 65535);
        break;
      case '--host': {
        const host = value();
        if (host === undefined || host === '' || host.startsWith('--'))
          throw new UsageError('--host needs an address');
        options.host = host;
        break;
      }
      case '--boot': {
        const status = value();
        if (status !== 'Accepted' && status !== 'Pending' && status !== 'Rejected') {
          throw new UsageError('--boot must be Accepted, Pending or Rejected');
        }
        options.boot = status;
        break;
      }
      case '--interval':
        options.intervalS = wholeNumber(flag, value(), 0, 2_147_483);
        break;
      case '--drop-after-ms':
        options.dropAfterMs = wholeNumber(flag, value(), 0, 2_147_483_647);
        break;
      case '--basic-auth': {
        const pair = value() ?? '';
        const colon = pair.indexOf(':');
        if (colon <= 0) throw new UsageError('--basic-auth needs identity:password');
        options.basicAuth = { user: pair.slice(0, colon), password: pair.slice(colon + 1) };
        break;
      }
      case '--tls':
        options.tls = true;
        break;
      case '--json':
        options.json = true;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
    if (inline !== undefined && ['--tls', '--json', '--help'].includes(flag as string)) {
      throw new UsageError(`${flag} takes no value`);
    }
  }
  return options;
}
