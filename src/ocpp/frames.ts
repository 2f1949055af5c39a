/**
 * OCPP-J RPC framing (OCPP-J 1.6 §4, OCPP 2.0.1 Part 4 §4): parse a WebSocket text frame
 * into a typed message, or say precisely why it is not one. Bad input never throws.
 */

export const CALL = 2;
export const CALLRESULT = 3;
export const CALLERROR = 4;

/** Longest message id OCPP-J allows (OCPP 2.0.1 Part 4 §4.1.4; 36 is a UUID's length). */
export const MAX_MESSAGE_ID_LENGTH = 36;

/** Id used in a CALLERROR that answers a frame whose message id cannot be read. */
export const UNREADABLE_ID = '-1';

export type Payload = Record<string, unknown>;

export interface Call {
  readonly type: typeof CALL;
  readonly id: string;
  readonly action: string;
  readonly payload: Payload;
}

export interface CallResult {
  readonly type: typeof CALLRESULT;
  readonly id: string;
  readonly payload: Payload;
}

export interface CallError {
  readonly type: typeof CALLERROR;
  readonly id: string;
  readonly code: string;
  readonly description: string;
  readonly details: Payload;
}

export type Frame = Call | CallResult | CallError;

export type ParseFailureKind =
  | 'NotJson'
  | 'NotArray'
  | 'UnknownMessageType'
  | 'MissingId'
  | 'IdNotString'
  | 'IdTooLong'
  | 'ActionNotString'
  | 'PayloadNotObject'
  | 'WrongArity'
  | 'ErrorCodeNotString'
  | 'ErrorDescriptionNotString'
  | 'ErrorDetailsNotObject';

export interface ParseFailure {
  readonly ok: false;
  readonly kind: ParseFailureKind;
  readonly message: string;
  /** The message type number, when the frame had a readable one. */
  readonly messageType?: number;
  /** The message id, when it could be read (a string of at most 36 characters). */
  readonly id?: string;
  /** The action, for a CALL whose action could be read. */
  readonly action?: string;
}

export type ParseResult = { readonly ok: true; readonly frame: Frame } | ParseFailure;

function isObject(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(kind: ParseFailureKind, message: string, extra: Partial<ParseFailure> = {}): ParseFailure {
  return { ok: false, kind, message, ...extra };
}

const ARITY: Readonly<Record<number, number>> = { [CALL]: 4, [CALLRESULT]: 3, [CALLERROR]: 5 };

/** Parses one WebSocket text frame. Never throws. */
export function parseFrame(text: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return fail('NotJson', `not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data))
    return fail('NotArray', `an OCPP-J message is a JSON array, got ${describe(data)}`);
  if (data.length === 0) return fail('WrongArity', 'empty array: no message type');
  const messageType = data[0];
  if (messageType !== CALL && messageType !== CALLRESULT && messageType !== CALLERROR) {
    const readable = typeof messageType === 'number' ? { messageType } : {};
    const id = readableId(data[1]);
    // Never stringify the value itself: it may be nested thousands deep or megabytes long.
    const shown =
      typeof messageType === 'number'
        ? String(messageType)
        : typeof messageType === 'string'
          ? JSON.stringify(messageType.slice(0, 40))
          : describe(messageType);
    return fail('UnknownMessageType', `unknown message type ${shown}`, {
      ...readable,
      ...(id === undefined ? {} : { id }),
    });
  }
  if (data.length < 2) return fail('MissingId', 'message id missing', { messageType });
  const rawId = data[1];
  if (typeof rawId !== 'string') {
    return fail('IdNotString', `message id must be a string, got ${describe(rawId)}`, { messageType });
  }
  if (rawId.length > MAX_MESSAGE_ID_LENGTH) {
    return fail(
      'IdTooLong',
      `message id is ${rawId.length} characters long; at most ${MAX_MESSAGE_ID_LENGTH}`,
      {
        messageType,
      },
    );
  }
  const id = rawId;
  const arity = ARITY[messageType] as number;
  if (messageType === CALL && typeof data[2] !== 'string' && data.length >= 3) {
    return fail('ActionNotString', `action must be a string, got ${describe(data[2])}`, { messageType, id });
  }
  const action = messageType === CALL && typeof data[2] === 'string' ? { action: data[2] as string } : {};
  if (data.length !== arity) {
    return fail('WrongArity', `message type ${messageType} has ${arity} elements, got ${data.length}`, {
      messageType,
      id,
      ...action,
    });
  }
  switch (messageType) {
    case CALL: {
      const payload = data[3];
      if (!isObject(payload)) {
        return fail('PayloadNotObject', `payload must be a JSON object, got ${describe(payload)}`, {
          messageType,
          id,
          ...action,
        });
      }
      return { ok: true, frame: { type: CALL, id, action: data[2] as string, payload } };
    }
    case CALLRESULT: {
      const payload = data[2];
      if (!isObject(payload)) {
        return fail('PayloadNotObject', `payload must be a JSON object, got ${describe(payload)}`, {
          messageType,
          id,
        });
      }
      return { ok: true, frame: { type: CALLRESULT, id, payload } };
    }
    default: {
      const [, , code, description, details] = data;
      if (typeof code !== 'string') {
        return fail('ErrorCodeNotString', `error code must be a string, got ${describe(code)}`, {
          messageType,
          id,
        });
      }
      if (typeof description !== 'string') {
        return fail(
          'ErrorDescriptionNotString',
          `error description must be a string, got ${describe(description)}`,
          {
            messageType,
            id,
          },
        );
      }
      if (!isObject(details)) {
        return fail(
          'ErrorDetailsNotObject',
          `error details must be a JSON object, got ${describe(details)}`,
          {
            messageType,
            id,
          },
        );
      }
      return { ok: true, frame: { type: CALLERROR, id, code, description, details } };
    }
  }
}

function readableId(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= MAX_MESSAGE_ID_LENGTH ? value : undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'nothing';
  return `a ${typeof value}`;
}

/** The id a CALLERROR answering this failure must carry (`"-1"` when the id cannot be read). */
export function replyIdFor(failure: ParseFailure): string {
  return failure.id ?? UNREADABLE_ID;
}

/** Serializes a frame to its OCPP-J text form. */
export function serializeFrame(frame: Frame): string {
  switch (frame.type) {
    case CALL:
      return JSON.stringify([CALL, frame.id, frame.action, frame.payload]);
    case CALLRESULT:
      return JSON.stringify([CALLRESULT, frame.id, frame.payload]);
    case CALLERROR:
      return JSON.stringify([CALLERROR, frame.id, frame.code, frame.description, frame.details]);
  }
}

export function call(id: string, action: string, payload: Payload): Call {
  return { type: CALL, id, action, payload };
}

export function callResult(id: string, payload: Payload): CallResult {
  return { type: CALLRESULT, id, payload };
}

/** Longest ErrorDescription (OCPP 2.0.1 Part 4 §4.2.3; 1.6 sets no limit, so the same is used). */
export const MAX_ERROR_DESCRIPTION_LENGTH = 255;

/** A CALLERROR; the description is cut to {@link MAX_ERROR_DESCRIPTION_LENGTH} (it may quote peer input). */
export function callError(id: string, code: string, description = '', details: Payload = {}): CallError {
  return {
    type: CALLERROR,
    id,
    code,
    description: description.slice(0, MAX_ERROR_DESCRIPTION_LENGTH),
    details,
  };
}
