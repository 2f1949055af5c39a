import { type ReconnectPolicy, resolvePolicy } from '../src/chargepoint/policy';

type Field = keyof ReconnectPolicy;

/** How each row of a Gherkin policy table maps onto the policy, with its unit. */
const ROWS: Readonly<Record<string, { field: Field; parse: (text: string) => unknown }>> = {
  'initial back-off': { field: 'initialBackoffMs', parse: duration },
  'maximum back-off': { field: 'maxBackoffMs', parse: duration },
  jitter: { field: 'jitterRatio', parse: percentage },
  'resume delay': { field: 'resumeDelayMs', parse: duration },
  'reboot on reconnect': { field: 'rebootOnReconnect', parse: yesNo },
  'back-off model': { field: 'backoff', parse: model },
  'wait minimum': { field: 'retryBackOffWaitMinimumMs', parse: duration },
  'random range': { field: 'retryBackOffRandomRangeMs', parse: duration },
  'repeat times': { field: 'retryBackOffRepeatTimes', parse: count },
};

/** Reads `| initial back-off | 500 ms |` rows into a checked policy (defaults fill the rest). */
export function policyFromTable(rows: readonly (readonly string[])[], base: Partial<ReconnectPolicy> = {}) {
  const policy: Record<string, unknown> = { ...base };
  for (const row of rows) {
    const [name = '', value = ''] = row.map((cell) => cell.trim());
    const rule = ROWS[name.toLowerCase()];
    if (rule === undefined) {
      throw new Error(`unknown policy row "${name}"; known rows: ${Object.keys(ROWS).join(', ')}`);
    }
    try {
      policy[rule.field] = rule.parse(value);
    } catch (error) {
      throw new Error(`policy row "${name}": ${(error as Error).message}`);
    }
  }
  return resolvePolicy(policy as Partial<ReconnectPolicy>);
}

/** "500 ms", "30 s", "1.5 s" → milliseconds. */
export function duration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s)$/.exec(text.trim());
  if (match === null) throw new Error(`"${text}" is not a duration like "500 ms" or "2 s"`);
  const value = Number(match[1]);
  return match[2] === 's' ? value * 1000 : value;
}

/** "±20 %", "20%", "none" → 0.2. */
export function percentage(text: string): number {
  const t = text.trim();
  if (t === 'none') return 0;
  const match = /^±?\s*(\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (match === null) throw new Error(`"${text}" is not a percentage like "±20 %"`);
  return Number(match[1]) / 100;
}

function yesNo(text: string): boolean {
  if (/^(yes|true)$/i.test(text)) return true;
  if (/^(no|false)$/i.test(text)) return false;
  throw new Error(`"${text}" is not yes or no`);
}

function model(text: string): ReconnectPolicy['backoff'] {
  if (/^exponential( with jitter)?$/i.test(text) || text === 'exp-jitter') return 'exp-jitter';
  if (/^(OCPP 2\.0\.1|ocpp201)$/i.test(text)) return 'ocpp201';
  throw new Error(`"${text}" is not a back-off model (exponential with jitter, OCPP 2.0.1)`);
}

function count(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new Error(`"${text}" is not a whole number`);
  return Number(text);
}
