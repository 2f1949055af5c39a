import type { Envelope } from '@cucumber/messages';

/** PASS, FAIL (with the measured value and the bound) or NOT APPLICABLE (with the reason), per scenario. */
export type Verdict = 'PASS' | 'FAIL' | 'NOT APPLICABLE';

export interface ScenarioVerdict {
  readonly scenario: string;
  readonly tags: string[];
  readonly verdict: Verdict;
  /** The key measurements (✔/✘ lines the scenario logged), or the failure, or the reason. */
  readonly detail: string[];
}

/** Turns a Cucumber message stream into one verdict per scenario. */
export function summarize(envelopes: readonly Envelope[]): ScenarioVerdict[] {
  const pickles = new Map<string, { name: string; tags: string[] }>();
  const caseToPickle = new Map<string, string>();
  const started = new Map<string, string>();
  const logs = new Map<string, string[]>();
  const statuses = new Map<string, string[]>();
  const errors = new Map<string, string[]>();
  const order: string[] = [];
  for (const e of envelopes) {
    if (e.pickle) pickles.set(e.pickle.id, { name: e.pickle.name, tags: e.pickle.tags.map((t) => t.name) });
    if (e.testCase) caseToPickle.set(e.testCase.id, e.testCase.pickleId);
    if (e.testCaseStarted) {
      started.set(e.testCaseStarted.id, e.testCaseStarted.testCaseId);
      order.push(e.testCaseStarted.id);
    }
    if (e.attachment?.testCaseStartedId && e.attachment.mediaType === 'text/x.cucumber.log+plain') {
      push(logs, e.attachment.testCaseStartedId, e.attachment.body);
    }
    if (e.testStepFinished) {
      const id = e.testStepFinished.testCaseStartedId;
      const result = e.testStepFinished.testStepResult;
      push(statuses, id, result.status);
      if (result.status === 'FAILED')
        push(errors, id, (result.message ?? '').split('\n').slice(0, 4).join(' | '));
    }
  }
  return order.map((id) => {
    const pickle = pickles.get(caseToPickle.get(started.get(id) ?? '') ?? '') ?? { name: '?', tags: [] };
    const s = statuses.get(id) ?? [];
    const log = logs.get(id) ?? [];
    const notApplicable = log.filter((l) => l.startsWith('NOT APPLICABLE'));
    const verdict: Verdict =
      s.includes('FAILED') || s.includes('UNDEFINED') || s.includes('AMBIGUOUS')
        ? 'FAIL'
        : s.includes('SKIPPED') || s.includes('PENDING')
          ? 'NOT APPLICABLE'
          : 'PASS';
    const measurements = log.filter(
      (l) => l.startsWith('✔') || l.startsWith('✘') || l.startsWith('policy replaced'),
    );
    const detail =
      verdict === 'FAIL'
        ? (errors.get(id) ?? ['a step was undefined or ambiguous'])
        : verdict === 'NOT APPLICABLE'
          ? notApplicable.length
            ? notApplicable
            : ['skipped']
          : measurements;
    return { scenario: pickle.name, tags: pickle.tags, verdict, detail };
  });
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A plain-text table for the console: scenario, verdict, key measurement. */
export function verdictTable(sut: string, verdicts: readonly ScenarioVerdict[]): string {
  const counts = { PASS: 0, FAIL: 0, 'NOT APPLICABLE': 0 };
  for (const v of verdicts) counts[v.verdict]++;
  const width = Math.min(70, Math.max(8, ...verdicts.map((v) => v.scenario.length)));
  const lines = [
    `Conformance verdicts — ${sut}`,
    `${'scenario'.padEnd(width)}  ${'verdict'.padEnd(14)}  key measurement / reason`,
    `${'-'.repeat(width)}  ${'-'.repeat(14)}  ${'-'.repeat(40)}`,
  ];
  for (const v of verdicts) {
    const name = v.scenario.length > width ? `${v.scenario.slice(0, width - 1)}…` : v.scenario;
    const [first = '', ...rest] = v.detail;
    lines.push(`${name.padEnd(width)}  ${v.verdict.padEnd(14)}  ${first}`);
    for (const more of rest.slice(0, 7)) lines.push(`${''.padEnd(width)}  ${''.padEnd(14)}  ${more}`);
  }
  lines.push('');
  // NOT APPLICABLE scenarios are Cucumber's "skipped"; the closing line uses the plain words.
  lines.push(`${counts.PASS} passed, ${counts.FAIL} failed, ${counts['NOT APPLICABLE']} skipped`);
  return lines.join('\n');
}
