/**
 * What OCPP-J requires of the answers to a batch of fuzz frames (SPEC §5, §8; README decisions):
 * a CALL with a readable id gets exactly one CALLRESULT/CALLERROR with that id; a frame of an
 * unknown type gets MessageTypeNotSupported in 2.0.1 and nothing in 1.6; an answer (type 3/4) is
 * never answered; an unreadable id is answered with "-1" in 2.0.1 only; every answer is itself a
 * well-formed OCPP-J frame with a code of the version and a description of ≤ 255 characters.
 */
import { errorCodes, type OcppVersion, parseFrame } from '../../src/ocpp';
import type { FuzzFrame } from './fuzz-frames';

export interface OracleInput {
  readonly version: OcppVersion;
  readonly frames: readonly FuzzFrame[];
  /** Frames the peer wrote back (answers; its own CALLs are ignored). */
  readonly replies: readonly string[];
  /** Prefix of the unique ids of this batch. */
  readonly idPrefix: string;
  /** Whether the peer answers an unreadable id with "-1" (the charge point: 2.0.1 only; the CSMS: always). */
  readonly answersUnreadable: boolean;
}

export function checkAnswers(input: OracleInput): string[] {
  const { version, frames, replies, idPrefix } = input;
  const problems: string[] = [];
  const codes = new Set<string>(errorCodes(version));
  const answersById = new Map<string, Array<{ type: number; code?: string }>>();
  for (const text of replies) {
    const parsed = parseFrame(text);
    if (!parsed.ok) {
      problems.push(`the peer wrote a malformed frame: ${parsed.message}: ${text.slice(0, 120)}`);
      continue;
    }
    const frame = parsed.frame;
    if (frame.type === 2) continue;
    if (frame.type === 4) {
      if (!codes.has(frame.code))
        problems.push(`CALLERROR code ${frame.code} is not an OCPP ${version} code`);
      if (frame.description.length > 255) {
        problems.push(`CALLERROR description of ${frame.description.length} characters (> 255)`);
      }
    }
    const list = answersById.get(frame.id) ?? [];
    list.push({ type: frame.type, ...(frame.type === 4 ? { code: frame.code } : {}) });
    answersById.set(frame.id, list);
  }
  const expected = new Set<string>();
  for (const f of frames) {
    if (f.kind !== 'text') continue;
    if (f.answerId !== undefined) {
      expected.add(f.answerId);
      const n = answersById.get(f.answerId)?.length ?? 0;
      if (n !== 1) problems.push(`${f.tag}: ${n} answers for id ${f.answerId}, OCPP-J requires 1`);
    }
    if (f.otherId !== undefined) {
      expected.add(f.otherId);
      const got = answersById.get(f.otherId) ?? [];
      if (typeof f.claimedType !== 'number') {
        // Not even a number: an unknown type (MessageTypeNotSupported / ignored in 1.6) or a
        // malformed frame (the RPC framework code) — both readings are OCPP-J; never two answers.
        const allowed = ['MessageTypeNotSupported', 'ProtocolError', 'RpcFrameworkError'];
        if (got.length > 1 || got.some((a) => a.type !== 4 || !allowed.includes(a.code ?? ''))) {
          problems.push(`${f.tag}: expected at most one CALLERROR, got ${JSON.stringify(got)}`);
        }
      } else if (version === '2.0.1') {
        if (got.length !== 1 || got[0]?.code !== 'MessageTypeNotSupported') {
          problems.push(`${f.tag}: expected one MessageTypeNotSupported, got ${JSON.stringify(got)}`);
        }
      } else if (got.length !== 0) {
        problems.push(`${f.tag}: 1.6 ignores an unknown message type, got ${JSON.stringify(got)}`);
      }
    }
  }
  for (const [id, list] of answersById) {
    if (id.startsWith(idPrefix) && !expected.has(id) && /^\D*\d+$/.test(id.slice(idPrefix.length))) {
      problems.push(`answered id ${id} (${JSON.stringify(list)}) that needs no answer`);
    }
  }
  if (!input.answersUnreadable && answersById.has('-1'))
    problems.push('answered "-1" although this peer must not');
  return problems;
}
