import type { Payload } from './frames';
import type { OcppVersion } from './version';

/** OCPP-J 1.6 §4.2.3 error codes (1.6 spells FormationViolation and OccurenceConstraintViolation). */
export const ERROR_CODES_16 = [
  'NotImplemented',
  'NotSupported',
  'InternalError',
  'ProtocolError',
  'SecurityError',
  'FormationViolation',
  'PropertyConstraintViolation',
  'OccurenceConstraintViolation',
  'TypeConstraintViolation',
  'GenericError',
] as const;

/** OCPP 2.0.1 Part 4 §4.3 error codes. */
export const ERROR_CODES_201 = [
  'FormatViolation',
  'GenericError',
  'InternalError',
  'MessageTypeNotSupported',
  'NotImplemented',
  'NotSupported',
  'OccurrenceConstraintViolation',
  'PropertyConstraintViolation',
  'ProtocolError',
  'RpcFrameworkError',
  'SecurityError',
  'TypeConstraintViolation',
] as const;

export type ErrorCode16 = (typeof ERROR_CODES_16)[number];
export type ErrorCode201 = (typeof ERROR_CODES_201)[number];
export type OcppErrorCode = ErrorCode16 | ErrorCode201;

export function errorCodes(version: OcppVersion): readonly OcppErrorCode[] {
  return version === '1.6' ? ERROR_CODES_16 : ERROR_CODES_201;
}

export function isErrorCode(version: OcppVersion, code: string): boolean {
  return (errorCodes(version) as readonly string[]).includes(code);
}

/** The code for "payload not conform the PDU structure": FormationViolation (1.6) / FormatViolation (2.0.1). */
export function formatViolation(version: OcppVersion): OcppErrorCode {
  return version === '1.6' ? 'FormationViolation' : 'FormatViolation';
}

export function occurrenceViolation(version: OcppVersion): OcppErrorCode {
  return version === '1.6' ? 'OccurenceConstraintViolation' : 'OccurrenceConstraintViolation';
}

/** Code for a frame that is not a valid OCPP-J message (unknown type, bad id, wrong arity …). */
export function rpcFrameworkError(version: OcppVersion): OcppErrorCode {
  return version === '1.6' ? 'ProtocolError' : 'RpcFrameworkError';
}

/**
 * Maps an AJV keyword to the OCPP-J error code that names the kind of violation:
 * occurrence (a field missing, too many/few items), type (a string where a number belongs),
 * property (a value out of its range, length, enum or format) and, for anything else about the
 * structure (an unexpected field), the version's format violation.
 */
export function codeForSchemaKeyword(version: OcppVersion, keyword: string): OcppErrorCode {
  switch (keyword) {
    case 'required':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      return occurrenceViolation(version);
    case 'type':
      return 'TypeConstraintViolation';
    case 'enum':
    case 'const':
    case 'maxLength':
    case 'minLength':
    case 'maximum':
    case 'minimum':
    case 'exclusiveMaximum':
    case 'exclusiveMinimum':
    case 'multipleOf':
    case 'pattern':
    case 'format':
      return 'PropertyConstraintViolation';
    default:
      return formatViolation(version);
  }
}

/** A call could not complete because the connection closed (or was not online) — SPEC §4. */
export class ConnectionClosedError extends Error {
  override readonly name = 'ConnectionClosedError';
  constructor(
    readonly action: string,
    message = `${action}: connection closed`,
  ) {
    super(message);
  }
}

/** No answer came within the call timeout. */
export class CallTimeoutError extends Error {
  override readonly name = 'CallTimeoutError';
  constructor(
    readonly action: string,
    readonly id: string,
    readonly timeoutMs: number,
  ) {
    super(`${action} (${id}): no answer within ${timeoutMs} ms`);
  }
}

/** The peer answered a CALL with a CALLERROR. */
export class CallErrorResponse extends Error {
  override readonly name = 'CallErrorResponse';
  constructor(
    readonly action: string,
    readonly code: string,
    readonly description: string,
    readonly details: Payload = {},
  ) {
    super(`${action}: CALLERROR ${code}${description ? `: ${description}` : ''}`);
  }
}

/** The FIFO of waiting calls is full (SPEC §4: bounded, default 1000). */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
  constructor(
    readonly action: string,
    readonly limit: number,
  ) {
    super(`${action}: ${limit} calls already waiting`);
  }
}

export interface SchemaIssue {
  /** JSON pointer into the payload, e.g. `/chargingStation/model` ('' for the payload itself). */
  readonly path: string;
  /** The schema rule broken, e.g. `required`, `maxLength`. */
  readonly rule: string;
  readonly message: string;
  /** Pointer into the schema, e.g. `#/properties/chargingStation/required`. */
  readonly schemaPath: string;
}

export type Direction = 'request' | 'response';

/** A payload broke its action's schema (or the action has no schema in this version). */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly action: string,
    readonly direction: Direction,
    readonly errors: readonly SchemaIssue[],
    readonly code: OcppErrorCode,
  ) {
    super(`${action} ${direction} invalid: ${formatIssues(errors)}`);
  }
}

export function formatIssues(errors: readonly SchemaIssue[]): string {
  return errors.map((e) => `${e.path || '(payload)'} ${e.message} [${e.rule}]`).join('; ');
}
