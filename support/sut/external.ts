import { type ChildProcess, spawn } from 'node:child_process';
import type { ReconnectPolicy } from '../../src/chargepoint/policy';
import type { OcppVersion } from '../../src/ocpp/version';
import type { Applicability, SutAdapter, SutStartContext } from './adapter';
import { type SutFile, sutVersions } from './sut-file';

/** Grace period between SIGTERM and SIGKILL when stopping the charge point (SPEC §9). */
const KILL_AFTER_MS = 2_000;
/** Keep at most this much of the process's output for the report. */
const OUTPUT_LIMIT = 256 * 1024;

/**
 * A third-party charge point started as a process from its SUT file's command, once per
 * scenario, with `{url}`, `{identity}` and the policy placeholders filled in. System clock only.
 */
export class ExternalSut implements SutAdapter {
  readonly kind = 'external' as const;
  readonly chargePoint = undefined;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private outputText = '';
  private exitNote = '';

  constructor(readonly sut: SutFile) {}

  get name(): string {
    return this.sut.name;
  }

  /** The command line for a scenario, placeholders filled (exported for the report and tests). */
  commandLine(context: SutStartContext): string[] {
    if (this.sut.command === null) return [];
    const values: Record<string, string> = {
      url: context.url,
      identity: context.identity,
      ocppVersion: context.version,
      pingIntervalMs: '0',
      pongTimeoutMs: '0',
      ...policyValues(context.policy),
      ...(context.pings === undefined
        ? {}
        : {
            pingIntervalMs: String(context.pings.intervalMs),
            pongTimeoutMs: String(context.pings.pongTimeoutMs),
          }),
    };
    return splitCommand(this.sut.command).map((word) =>
      word.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => {
        const value = values[name];
        if (value === undefined) throw new Error(`SUT command: unknown placeholder ${whole}`);
        return value;
      }),
    );
  }

  async start(context: SutStartContext): Promise<void> {
    if (this.sut.command === null) return; // it connects by itself
    if (this.child !== undefined) throw new Error(`${this.name} is already started`);
    const [program, ...args] = this.commandLine(context);
    if (program === undefined) throw new Error('SUT command is empty');
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    this.child = child;
    const collect = (stream: string) => (chunk: Buffer) => {
      this.outputText += chunk
        .toString('utf8')
        .split('\n')
        .map((line) => (line ? `[${stream}] ${line}` : line))
        .join('\n');
      if (this.outputText.length > OUTPUT_LIMIT) this.outputText = this.outputText.slice(-OUTPUT_LIMIT);
    };
    child.stdout?.on('data', collect('out'));
    child.stderr?.on('data', collect('err'));
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitNote = `exited with ${signal ?? `code ${code}`}`;
        resolve();
      });
      child.once('error', (error) => {
        this.exitNote = `could not start: ${error.message}`;
        resolve();
      });
    });
  }

  /** SIGTERM, then SIGKILL after 2 s; resolves when the process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    await this.exited;
    clearTimeout(killer);
  }

  /** The process died on its own while the scenario still needed it. */
  failure(): string | undefined {
    const child = this.child;
    if (child === undefined || (child.exitCode === null && child.signalCode === null)) return undefined;
    return `${this.name} ${this.exitNote}; its last output:\n${this.outputText.slice(-1500)}`;
  }

  ioPending(): boolean {
    return false;
  }

  output(): string {
    return `${this.outputText}${this.exitNote ? `\n(${this.exitNote})` : ''}`;
  }

  /**
   * The policy in force for a scenario, and whether the scenario applies: a policy field the
   * command takes as a placeholder is the scenario's own; otherwise the SUT file's claim replaces
   * it. A scenario that needs what the SUT cannot be given is NOT APPLICABLE, with the reason.
   */
  policyInForce(
    scenario: ReconnectPolicy,
    needs: { readonly pings: boolean; readonly version: OcppVersion },
  ): Applicability & { readonly policy: ReconnectPolicy; readonly replaced: string[] } {
    const command = this.sut.command ?? '';
    const takes = (field: string) => command.includes(`{${field}}`);
    const claimed = this.sut.policy as Record<string, unknown>;
    const policy: Record<string, unknown> = { ...scenario };
    const replaced: string[] = [];
    const fields = Object.keys(scenario) as Array<keyof ReconnectPolicy>;
    for (const field of fields) {
      const secondsField = field.replace(/Ms$/, 'S');
      if (takes(field) || (secondsField !== field && takes(secondsField))) continue;
      if (claimed[field] === undefined) continue;
      if (claimed[field] !== scenario[field]) {
        policy[field] = claimed[field];
        replaced.push(`${field}: ${JSON.stringify(scenario[field])} → ${JSON.stringify(claimed[field])}`);
      }
    }
    // A charge point that says nothing of its back-off model has the usual one (SPEC §2's default).
    if (!takes('backoff') && claimed['backoff'] === undefined && scenario.backoff !== 'exp-jitter') {
      policy['backoff'] = 'exp-jitter';
      replaced.push(`backoff: ${JSON.stringify(scenario.backoff)} → "exp-jitter" (not declared)`);
    }
    const inForce = policy as unknown as ReconnectPolicy;
    const notApplicable = (reason: string) => ({ applicable: false, reason, policy: inForce, replaced });
    if (!sutVersions(this.sut).includes(needs.version)) {
      return notApplicable(
        `the scenario is for OCPP ${needs.version}; ${this.name} speaks ${sutVersions(this.sut).join(', ')}`,
      );
    }
    if (scenario.backoff !== inForce.backoff) {
      return notApplicable(
        `the scenario needs the ${scenario.backoff} back-off model; ${this.name} declares ${inForce.backoff} and takes no {backoff} placeholder`,
      );
    }
    if (scenario.rebootOnReconnect !== inForce.rebootOnReconnect) {
      return notApplicable(
        `the scenario needs rebootOnReconnect: ${scenario.rebootOnReconnect}; ${this.name} declares ${inForce.rebootOnReconnect} and takes no {rebootOnReconnect} placeholder`,
      );
    }
    if (needs.pings && !takes('pingIntervalMs') && this.sut.capabilities?.clientPings !== true) {
      return notApplicable(
        `the scenario needs client pings; ${this.name} declares no clientPings capability and takes no {pingIntervalMs} placeholder`,
      );
    }
    return { applicable: true, policy: inForce, replaced };
  }
}

function policyValues(policy: ReconnectPolicy): Record<string, string> {
  return {
    backoff: policy.backoff,
    initialBackoffMs: String(policy.initialBackoffMs),
    maxBackoffMs: String(policy.maxBackoffMs),
    jitterRatio: String(policy.jitterRatio),
    resumeDelayMs: String(policy.resumeDelayMs),
    rebootOnReconnect: String(policy.rebootOnReconnect),
    retryBackOffWaitMinimumMs: String(policy.retryBackOffWaitMinimumMs),
    retryBackOffRandomRangeMs: String(policy.retryBackOffRandomRangeMs),
    retryBackOffRepeatTimes: String(policy.retryBackOffRepeatTimes),
    retryBackOffWaitMinimumS: String(policy.retryBackOffWaitMinimumMs / 1000),
    retryBackOffRandomRangeS: String(policy.retryBackOffRandomRangeMs / 1000),
  };
}

/** Splits a command line into words: whitespace separates, single and double quotes group. No shell. */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let inWord = false;
  for (const ch of command) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote !== undefined) throw new Error(`SUT command: unbalanced ${quote} quote`);
  if (inWord) words.push(current);
  return words;
}
