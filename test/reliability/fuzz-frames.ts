/**
 * Generated and mutated OCPP-J frames for fuzzing both ends. Deterministic for a seed.
 *
 * Every generated frame carries the facts the oracle needs: whether OCPP-J requires an answer
 * with a given id (a CALL whose id is a readable string), and its id if it has a unique one.
 */

export type FuzzFrame =
  | {
      readonly kind: 'text';
      readonly text: string;
      readonly tag: string;
      /** A CALL with a unique readable id: exactly one answer with this id is required. */
      readonly answerId?: string;
      /** Frame type this frame claims (for "unknown type" oracles). */
      readonly claimedType?: unknown;
      /** The unique readable id of a non-CALL frame (for MessageTypeNotSupported in 2.0.1). */
      readonly otherId?: string;
    }
  | { readonly kind: 'binary'; readonly data: Buffer; readonly tag: string };

export type Rng = () => number;

const WRONG_VALUES: readonly unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e308,
  true,
  false,
  '',
  'x',
  [],
  [2],
  {},
  { a: 1 },
];

/** Valid-looking CALLs a CSMS or a charge point could send, for both versions. */
const BASE_CALLS: ReadonlyArray<[string, Record<string, unknown>]> = [
  ['DataTransfer', { vendorId: 'OpenReconnect', data: 'fuzz' }],
  ['DataTransfer', { vendorId: 'Other' }],
  ['Heartbeat', {}],
  ['TriggerMessage', { requestedMessage: 'Heartbeat' }],
  ['TriggerMessage', { requestedTrigger: 'Heartbeat' }],
  ['Reset', { type: 'Soft' }],
  ['NoSuchAction', { a: 1 }],
  ['BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }],
  ['StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }],
  ['', {}],
];

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

function int(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

/** Up to `max` characters of random text, including quotes, brackets, controls and astral chars. */
function junk(rng: Rng, max: number): string {
  const alphabet = [
    '[',
    ']',
    '{',
    '}',
    '"',
    ',',
    ':',
    '2',
    '3',
    '4',
    ' ',
    '\\',
    'a',
    '\u0000',
    '\ud83d\ude00',
    'é',
    'null',
    'true',
    '\ud800',
  ];
  let out = '';
  const n = int(rng, 0, max);
  for (let i = 0; i < n; i++) out += pick(rng, alphabet);
  return out;
}

function nested(depth: number, open: string, close: string, core: string): string {
  return open.repeat(depth) + core + close.repeat(depth);
}

export interface FuzzOptions {
  /** Prefix of every unique id, so that two streams never share ids. */
  readonly idPrefix: string;
  /** Longest huge string (bytes) generated. */
  readonly hugeBytes: number;
  /** Include binary and invalid-UTF-8 frames (they close or are ignored by the peer). */
  readonly binary: boolean;
}

/** Generates `count` frames; the n-th frame's unique id (if any) is `${idPrefix}${n}`. */
export function generateFrames(rng: Rng, count: number, options: FuzzOptions): FuzzFrame[] {
  const frames: FuzzFrame[] = [];
  for (let n = 0; n < count; n++) frames.push(generateFrame(rng, `${options.idPrefix}${n}`, options));
  return frames;
}

export function generateFrame(rng: Rng, id: string, options: FuzzOptions): FuzzFrame {
  const [action, payload] = pick(rng, BASE_CALLS);
  const base: unknown[] = [2, id, action, payload];
  const text = (t: string, tag: string, extra: Partial<Extract<FuzzFrame, { kind: 'text' }>> = {}) =>
    ({ kind: 'text', text: t, tag, ...extra }) as FuzzFrame;
  const category = int(rng, 0, options.binary ? 16 : 14);
  switch (category) {
    case 0:
      return text(JSON.stringify(base), 'valid-shape call', { answerId: id });
    case 1: {
      const full = JSON.stringify(base);
      return text(full.slice(0, int(rng, 0, full.length - 1)), 'truncated json');
    }
    case 2: {
      // Wrong type at one position of a CALL.
      const position = int(rng, 0, 3);
      const frame = [...base];
      frame[position] = pick(rng, WRONG_VALUES);
      // Position 0: an unknown message type with a readable id; 1: no unique id any more.
      const extra =
        position === 0 ? { otherId: id, claimedType: frame[0] } : position === 1 ? {} : { answerId: id };
      return text(JSON.stringify(frame), `wrong type at ${position}`, extra);
    }
    case 3: {
      // Wrong type at one position of a CALLRESULT / CALLERROR.
      const frame: unknown[] =
        rng() < 0.5 ? [3, id, { status: 'Accepted' }] : [4, id, 'GenericError', 'fuzz', {}];
      const position = int(rng, 0, frame.length - 1);
      frame[position] = pick(rng, WRONG_VALUES);
      return text(
        JSON.stringify(frame),
        'broken answer',
        position === 0 ? { otherId: id, claimedType: frame[0] } : {},
      );
    }
    case 4: {
      const length = pick(rng, [0, 36, 37, 10_000]);
      const longId = length === 0 ? '' : (id + 'x'.repeat(length)).slice(0, length);
      const frame = [2, longId, action, payload];
      const unique = length === 36 && id.length <= 36;
      return text(JSON.stringify(frame), `id of length ${length}`, unique ? { answerId: longId } : {});
    }
    case 5: {
      const depth = pick(rng, [32, 256, 2048, 20_000]);
      if (rng() < 0.5) return text(nested(depth, '[', ']', '2'), `bare nesting ${depth}`);
      const deep = nested(depth, '{"a":', '}', '1');
      return text(`[2,"${id}","DataTransfer",{"vendorId":"V","data":${deep}}]`, `deep payload ${depth}`, {
        answerId: id,
      });
    }
    case 6: {
      const size = int(rng, 1024, options.hugeBytes);
      const big = 'x'.repeat(size);
      return rng() < 0.5
        ? text(JSON.stringify([2, id, 'DataTransfer', { vendorId: 'V', data: big }]), 'huge string', {
            answerId: id,
          })
        : text(JSON.stringify([2, id, big, {}]), 'huge action', { answerId: id });
    }
    case 7: {
      const payloads = [
        '{"__proto__":{"polluted":"yes"}}',
        '{"constructor":{"prototype":{"polluted":"yes"}}}',
        '{"vendorId":"OpenReconnect","__proto__":{"polluted":"yes"},"data":"x"}',
        '{"requestedMessage":"Heartbeat","__proto__":{"requestedMessage":"BootNotification","polluted":"yes"}}',
        '{"prototype":{"polluted":"yes"},"toString":1,"hasOwnProperty":2,"valueOf":{}}',
      ];
      const p = pick(rng, payloads);
      const a = pick(rng, [
        'DataTransfer',
        'TriggerMessage',
        'Heartbeat',
        '__proto__',
        'constructor',
        'toString',
      ]);
      return text(`[2,"${id}","${a}",${p}]`, 'prototype keys', { answerId: id });
    }
    case 8: {
      const numericId = pick(rng, [0, 1, -1, 1e21, 3.14, Number.MAX_SAFE_INTEGER + 2]);
      return text(JSON.stringify([2, numericId, action, payload]), 'number as id');
    }
    case 9: {
      const type = pick(rng, [0, 1, 5, 6, 99, -1, 2.5, '2', null]);
      const frame = [type, id, action, payload];
      return text(JSON.stringify(frame), `message type ${String(type)}`, { claimedType: type, otherId: id });
    }
    case 10: {
      const extra = int(rng, 0, 3);
      const frame = extra === 0 ? [2, id] : extra === 1 ? [2, id, action] : [2, id, action, payload, 'extra'];
      return text(JSON.stringify(frame), `arity ${frame.length}`, { answerId: id });
    }
    case 11:
      return text(junk(rng, 64), 'random characters');
    case 12:
      return text(
        pick(rng, ['', ' ', 'null', '2', '"x"', '{}', '[]', '{"0":2,"1":"x"}', 'NaN', '[2,"a",]']),
        'not an array',
      );
    case 13: {
      // Unicode edge cases in otherwise valid frames.
      const s = pick(rng, ['\u0000', '\ud800', '\udfff', '\ufeff', '\u2028', '\ud83d\ude00'.repeat(50)]);
      return text(JSON.stringify([2, id, 'DataTransfer', { vendorId: 'V', data: s }]), 'unicode edge', {
        answerId: id,
      });
    }
    case 14: {
      const payloadType = pick<unknown>(rng, [null, 1, 'x', [], true]);
      return text(JSON.stringify([2, id, action, payloadType]), 'payload not an object', { answerId: id });
    }
    case 15:
      return { kind: 'binary', data: Buffer.from(JSON.stringify(base)), tag: 'binary frame' };
    default:
      return {
        kind: 'binary',
        data: Buffer.from([0x5b, 0x32, 0x2c, 0x22, 0xc3, 0x28, 0xff, 0xfe]),
        tag: 'binary junk',
      };
  }
}

/** Frames whose text is not valid UTF-8 (sent as a text frame: the peer must close with 1007). */
export const INVALID_UTF8: readonly Buffer[] = [
  Buffer.from([0x5b, 0x32, 0x2c, 0x22, 0xc3, 0x28, 0x22, 0x5d]),
  Buffer.from([0xff, 0xfe, 0xfd]),
  Buffer.from([0x5b, 0x32, 0x2c, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x5d]), // an encoded lone surrogate
];

/** Object.prototype and Array.prototype as they are now: compare before and after a fuzz run. */
export function prototypeSnapshot(): string {
  const probe = {} as Record<string, unknown>;
  return JSON.stringify({
    object: Object.getOwnPropertyNames(Object.prototype).sort(),
    array: Object.getOwnPropertyNames(Array.prototype).sort(),
    polluted: probe['polluted'] ?? null,
    arrayPolluted: ([] as unknown as Record<string, unknown>)['polluted'] ?? null,
  });
}
