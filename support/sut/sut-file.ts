import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import type { ReconnectPolicy } from '../../src/chargepoint/policy';
import type { OcppVersion } from '../../src/ocpp/version';

/**
 * A SUT file describes a third-party charge point (SPEC §9): how to start it, which OCPP
 * version it speaks, and the reconnect policy it claims.
 */
export interface SutFile {
  readonly name: string;
  /** The version it speaks, or the versions it can be started in (then the command takes {ocppVersion}). */
  readonly ocppVersion: OcppVersion | OcppVersion[];
  readonly identity: string;
  /** Command line with {url}, {identity} and policy placeholders; null for a charge point that connects by itself. */
  readonly command: string | null;
  /** The port the test CSMS listens on; required when `command` is null (the charge point is configured for it). */
  readonly csmsPort?: number;
  /** The numbers the vendor claims. Fields the command takes as placeholders are per scenario instead. */
  readonly policy: Partial<ReconnectPolicy>;
  /** What the charge point can do beyond the basics. */
  readonly capabilities?: { readonly clientPings?: boolean };
  readonly basicAuth?: { readonly username: string; readonly password: string };
  /** Timing tolerance for this charge point (default ± max(50 ms, 10 %)). */
  readonly tolerance?: { readonly absoluteMs: number; readonly ratio: number };
  /** How long to wait for the first connection after starting it (default 15 s). */
  readonly startupTimeoutMs?: number;
}

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'ocppVersion', 'identity', 'command', 'policy'],
  properties: {
    $comment: { type: 'string' },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    ocppVersion: {
      anyOf: [
        { enum: ['1.6', '2.0.1'] },
        { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['1.6', '2.0.1'] } },
      ],
    },
    identity: { type: 'string', minLength: 1, maxLength: 48, pattern: '^[^:/?#\\s]+$' },
    command: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'null' }] },
    csmsPort: { type: 'integer', minimum: 1, maximum: 65535 },
    policy: {
      type: 'object',
      additionalProperties: false,
      properties: {
        backoff: { enum: ['exp-jitter', 'ocpp201'] },
        initialBackoffMs: { type: 'number', minimum: 0 },
        maxBackoffMs: { type: 'number', minimum: 0 },
        jitterRatio: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
        retryBackOffWaitMinimumMs: { type: 'number', minimum: 0 },
        retryBackOffRandomRangeMs: { type: 'number', minimum: 0 },
        retryBackOffRepeatTimes: { type: 'integer', minimum: 0 },
        resumeDelayMs: { type: 'number', minimum: 0 },
        rebootOnReconnect: { type: 'boolean' },
      },
    },
    capabilities: {
      type: 'object',
      additionalProperties: false,
      properties: { clientPings: { type: 'boolean' } },
    },
    basicAuth: {
      type: 'object',
      additionalProperties: false,
      required: ['username', 'password'],
      properties: { username: { type: 'string', minLength: 1 }, password: { type: 'string', minLength: 1 } },
    },
    tolerance: {
      type: 'object',
      additionalProperties: false,
      required: ['absoluteMs', 'ratio'],
      properties: {
        absoluteMs: { type: 'number', minimum: 0 },
        ratio: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
    startupTimeoutMs: { type: 'integer', minimum: 100 },
  },
} as const;

/** A SUT file that cannot be used; the message names the file and the field. */
export class SutFileError extends Error {
  override readonly name = 'SutFileError';
}

let compiled: ReturnType<Ajv['compile']> | undefined;

/** Checks a parsed SUT file; throws {@link SutFileError} naming the first bad field. */
export function parseSutFile(data: unknown, source = 'SUT file'): SutFile {
  compiled ??= new Ajv({ allErrors: false, strict: true }).compile(SCHEMA);
  if (!compiled(data)) {
    const error = compiled.errors?.[0];
    const params = error?.params as Record<string, unknown> | undefined;
    const at = error?.instancePath.replace(/^\//, '').replace(/\//g, '.') ?? '';
    const child = (name: unknown) => [at, name].filter(Boolean).join('.');
    if (error?.keyword === 'required') {
      throw new SutFileError(`${source}: field "${child(params?.['missingProperty'])}" is required`);
    }
    if (error?.keyword === 'additionalProperties') {
      throw new SutFileError(
        `${source}: field "${child(params?.['additionalProperty'])}" is not a SUT file field`,
      );
    }
    const field = at || '(top level)';
    throw new SutFileError(`${source}: field "${field}" ${error?.message ?? 'is invalid'}`);
  }
  const sut = data as unknown as SutFile;
  if (sut.command === null && sut.csmsPort === undefined) {
    throw new SutFileError(`${source}: field "csmsPort" is required when "command" is null`);
  }
  if (sut.command !== null && !sut.command.includes('{url}')) {
    throw new SutFileError(`${source}: field "command" must contain the {url} placeholder`);
  }
  if (
    Array.isArray(sut.ocppVersion) &&
    sut.ocppVersion.length > 1 &&
    !sut.command?.includes('{ocppVersion}')
  ) {
    throw new SutFileError(
      `${source}: field "ocppVersion" lists several versions, so "command" needs the {ocppVersion} placeholder`,
    );
  }
  return sut;
}

/** The versions a SUT speaks. */
export function sutVersions(sut: SutFile): OcppVersion[] {
  return Array.isArray(sut.ocppVersion) ? sut.ocppVersion : [sut.ocppVersion];
}

/** Reads and checks a SUT file. */
export function loadSutFile(path: string): SutFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SutFileError(
      `${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SutFileError(`${path}: not JSON (${(error as Error).message})`);
  }
  return parseSutFile(data, path);
}

/** Policy fields a command can take as `{placeholder}`s, each named as in the policy. */
export const POLICY_PLACEHOLDERS = [
  'initialBackoffMs',
  'maxBackoffMs',
  'jitterRatio',
  'resumeDelayMs',
  'rebootOnReconnect',
  'backoff',
  'retryBackOffWaitMinimumMs',
  'retryBackOffRandomRangeMs',
  'retryBackOffRepeatTimes',
  'retryBackOffWaitMinimumS',
  'retryBackOffRandomRangeS',
] as const;
