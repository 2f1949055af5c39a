/**
 * The nastiest fuzz cases, kept as regular unit tests (corpus.test.ts). `cp16` / `cp201` say what
 * the reference charge point answers (README decisions); `required` marks the id OCPP-J says must
 * be answered exactly once by either end.
 */

export interface Answer {
  readonly id: string;
  readonly type: 3 | 4;
  readonly code?: string;
}

export interface CorpusCase {
  readonly name: string;
  readonly text: string;
  /** The reference charge point's answers, in 1.6 and in 2.0.1 (none: []). */
  readonly cp16: readonly Answer[];
  readonly cp201: readonly Answer[];
  /** An id both ends must answer exactly once. */
  readonly required?: string;
}

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

export const CORPUS: readonly CorpusCase[] = [
  {
    // Crashed the charge point (JSON.stringify of the type → RangeError) before the fix in frames.ts.
    name: 'unknown message type nested 100 000 deep',
    text: deep(100_000),
    cp16: [],
    cp201: [{ id: '-1', type: 4, code: 'MessageTypeNotSupported' }],
  },
  {
    name: 'deep array as message type with a readable id',
    text: `[${deep(5000)},"deep-type",{}]`,
    cp16: [],
    cp201: [{ id: 'deep-type', type: 4, code: 'MessageTypeNotSupported' }],
  },
  {
    // Was echoed in a 100 000-character CALLERROR description before the 255 cap.
    name: 'action name of 100 000 characters',
    text: JSON.stringify([2, 'huge-action', 'A'.repeat(100_000), {}]),
    cp16: [{ id: 'huge-action', type: 4, code: 'NotImplemented' }],
    cp201: [{ id: 'huge-action', type: 4, code: 'NotImplemented' }],
    required: 'huge-action',
  },
  {
    name: 'payload nested 20 000 deep',
    text: `[2,"deep-payload","DataTransfer",{"vendorId":"OpenReconnect","data":${deepObject(20_000)}}]`,
    cp16: [{ id: 'deep-payload', type: 4, code: 'TypeConstraintViolation' }],
    cp201: [{ id: 'deep-payload', type: 3 }],
    required: 'deep-payload',
  },
  {
    name: '__proto__ as the action',
    text: '[2,"proto-action","__proto__",{}]',
    cp16: [{ id: 'proto-action', type: 4, code: 'NotImplemented' }],
    cp201: [{ id: 'proto-action', type: 4, code: 'NotImplemented' }],
    required: 'proto-action',
  },
  {
    name: 'constructor as the action',
    text: '[2,"ctor-action","constructor",{}]',
    cp16: [{ id: 'ctor-action', type: 4, code: 'NotImplemented' }],
    cp201: [{ id: 'ctor-action', type: 4, code: 'NotImplemented' }],
    required: 'ctor-action',
  },
  {
    name: '__proto__ key in a TriggerMessage payload',
    text: '[2,"proto-key","TriggerMessage",{"__proto__":{"polluted":"yes","requestedMessage":"BootNotification"}}]',
    cp16: [{ id: 'proto-key', type: 4, code: 'FormationViolation' }],
    cp201: [{ id: 'proto-key', type: 4, code: 'FormatViolation' }],
    required: 'proto-key',
  },
  {
    name: 'constructor.prototype key in a DataTransfer payload',
    text: '[2,"ctor-key","DataTransfer",{"vendorId":"V","constructor":{"prototype":{"polluted":"yes"}}}]',
    cp16: [{ id: 'ctor-key', type: 4, code: 'FormationViolation' }],
    cp201: [{ id: 'ctor-key', type: 4, code: 'FormatViolation' }],
    required: 'ctor-key',
  },
  {
    name: 'empty message id',
    text: '[2,"","Heartbeat",{}]',
    cp16: [{ id: '', type: 4, code: 'NotSupported' }],
    cp201: [{ id: '', type: 4, code: 'NotSupported' }],
    required: '',
  },
  {
    name: 'message id of 36 characters',
    text: JSON.stringify([2, 'i'.repeat(36), 'NoSuchAction', {}]),
    cp16: [{ id: 'i'.repeat(36), type: 4, code: 'NotImplemented' }],
    cp201: [{ id: 'i'.repeat(36), type: 4, code: 'NotImplemented' }],
    required: 'i'.repeat(36),
  },
  {
    name: 'message id of 37 characters',
    text: JSON.stringify([2, 'i'.repeat(37), 'Heartbeat', {}]),
    cp16: [],
    cp201: [{ id: '-1', type: 4, code: 'RpcFrameworkError' }],
  },
  {
    name: 'message id of 10 000 characters',
    text: JSON.stringify([2, 'i'.repeat(10_000), 'Heartbeat', {}]),
    cp16: [],
    cp201: [{ id: '-1', type: 4, code: 'RpcFrameworkError' }],
  },
  {
    name: 'number as message id',
    text: '[2,42,"Heartbeat",{}]',
    cp16: [],
    cp201: [{ id: '-1', type: 4, code: 'RpcFrameworkError' }],
  },
  ...[0, 1, 5, 6, 99].map(
    (type): CorpusCase => ({
      name: `unknown message type ${type}`,
      text: `[${type},"type-${type}","Heartbeat",{}]`,
      cp16: [],
      cp201: [{ id: `type-${type}`, type: 4, code: 'MessageTypeNotSupported' }],
    }),
  ),
  {
    name: 'truncated JSON',
    text: '[2,"trunc","DataTransfer",{"vendorId":"Open',
    cp16: [],
    cp201: [{ id: '-1', type: 4, code: 'RpcFrameworkError' }],
  },
  {
    name: 'payload is an array',
    text: '[2,"payload-array","DataTransfer",[]]',
    cp16: [{ id: 'payload-array', type: 4, code: 'FormationViolation' }],
    cp201: [{ id: 'payload-array', type: 4, code: 'FormatViolation' }],
    required: 'payload-array',
  },
  {
    name: 'CALLRESULT for an unknown id',
    text: '[3,"nobody-asked",{}]',
    cp16: [],
    cp201: [],
  },
  {
    name: 'CALLERROR with a number as its code',
    text: '[4,"bad-error",5,"d",{}]',
    cp16: [],
    cp201: [],
  },
  {
    name: 'lone surrogate escaped in a string',
    text: '[2,"surrogate","DataTransfer",{"vendorId":"OpenReconnect","data":"\\ud800"}]',
    cp16: [{ id: 'surrogate', type: 3 }],
    cp201: [{ id: 'surrogate', type: 3 }],
    required: 'surrogate',
  },
  {
    name: 'not an array',
    text: '{"0":2,"1":"obj","2":"Heartbeat","3":{}}',
    cp16: [],
    cp201: [{ id: '-1', type: 4, code: 'RpcFrameworkError' }],
  },
];

/** Text frames that are not valid UTF-8 (RFC 6455: the receiver closes with 1007). */
export const CORPUS_INVALID_UTF8: readonly Buffer[] = [
  Buffer.from([0x5b, 0x32, 0x2c, 0x22, 0xc3, 0x28, 0x22, 0x5d]),
  Buffer.from([0x5b, 0x32, 0x2c, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x5d]),
];
