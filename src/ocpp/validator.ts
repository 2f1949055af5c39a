import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import addFormats from 'ajv-formats';
import { codeForSchemaKeyword, type Direction, type OcppErrorCode, type SchemaIssue } from './errors';
import { officialSchema, schemaActions } from './schemas';
import type { OcppVersion } from './version';

export type ValidationFailure =
  | {
      readonly kind: 'unknown-action';
      readonly version: OcppVersion;
      readonly action: string;
      readonly message: string;
    }
  | {
      readonly kind: 'invalid';
      readonly version: OcppVersion;
      readonly action: string;
      readonly direction: Direction;
      readonly errors: readonly SchemaIssue[];
      /** The OCPP-J error code that answers this violation (of the first error). */
      readonly code: OcppErrorCode;
    };

/**
 * Validates OCPP payloads against the official schemas with AJV.
 *
 * Strict: no `useDefaults`, `removeAdditional` or `coerceTypes` (they would change what the
 * peer sent). Tolerated only what the official files need: their draft-06 `$schema`, the
 * unknown annotation keywords `javaType` / `tsEnumNames` / `comment`, and `multipleOf` 0.1 on
 * decimals (compared with a precision so 0.3 is a multiple of 0.1). Each schema is compiled
 * once, at its first use, and reused.
 */
export class OcppValidator {
  private readonly ajv: Ajv;
  /** Compiled schemas by version, direction and action (nested maps: no key string per lookup). */
  private readonly compiled: Record<OcppVersion, Record<Direction, Map<string, ValidateFunction>>> = {
    '1.6': { request: new Map(), response: new Map() },
    '2.0.1': { request: new Map(), response: new Map() },
  };

  constructor() {
    this.ajv = new Ajv({
      allErrors: true,
      strict: true,
      strictTypes: false,
      strictTuples: false,
      strictRequired: false,
      multipleOfPrecision: 9,
      validateSchema: true,
      useDefaults: false,
      removeAdditional: false,
      coerceTypes: false,
      addUsedSchema: false,
      code: { optimize: true },
    });
    this.ajv.addMetaSchema(draft06);
    for (const keyword of ['javaType', 'tsEnumNames', 'comment']) this.ajv.addKeyword(keyword);
    addFormats(this.ajv);
  }

  /** Whether the version defines this action. */
  hasAction(version: OcppVersion, action: string): boolean {
    return officialSchema(version, action, 'request') !== undefined;
  }

  actions(version: OcppVersion): string[] {
    return schemaActions(version);
  }

  validateRequest(version: OcppVersion, action: string, payload: unknown): ValidationFailure | undefined {
    return this.validate(version, action, 'request', payload);
  }

  validateResponse(version: OcppVersion, action: string, payload: unknown): ValidationFailure | undefined {
    return this.validate(version, action, 'response', payload);
  }

  /** Compiles every schema of the given versions now (instead of at first use). Returns how many. */
  compileAll(versions: readonly OcppVersion[] = ['1.6', '2.0.1']): number {
    let count = 0;
    for (const version of versions) {
      for (const action of schemaActions(version)) {
        this.compiledFor(version, action, 'request');
        this.compiledFor(version, action, 'response');
        count += 2;
      }
    }
    return count;
  }

  validate(
    version: OcppVersion,
    action: string,
    direction: Direction,
    payload: unknown,
  ): ValidationFailure | undefined {
    const check = this.compiledFor(version, action, direction);
    if (check === undefined) {
      return {
        kind: 'unknown-action',
        version,
        action,
        message: `OCPP ${version} has no action ${JSON.stringify(action)}`,
      };
    }
    if (check(payload)) return undefined;
    const errors = (check.errors ?? []).map(toIssue);
    return { kind: 'invalid', version, action, direction, errors, code: codeForIssues(version, errors) };
  }

  private compiledFor(
    version: OcppVersion,
    action: string,
    direction: Direction,
  ): ValidateFunction | undefined {
    const cache = this.compiled[version][direction];
    const cached = cache.get(action);
    if (cached !== undefined) return cached;
    const schema = officialSchema(version, action, direction);
    if (schema === undefined) return undefined;
    const compiled = this.ajv.compile(schema);
    cache.set(action, compiled);
    return compiled;
  }
}

/**
 * One CALLERROR carries one code, so with several violations the most fundamental wins:
 * structure (format) before occurrence, before type, before a property's value.
 */
const CODE_PRIORITY = [
  'FormationViolation',
  'FormatViolation',
  'OccurenceConstraintViolation',
  'OccurrenceConstraintViolation',
  'TypeConstraintViolation',
  'PropertyConstraintViolation',
];

function codeForIssues(version: OcppVersion, errors: readonly SchemaIssue[]): OcppErrorCode {
  const codes = errors.map((e) => codeForSchemaKeyword(version, e.rule));
  for (const code of CODE_PRIORITY) if (codes.includes(code as OcppErrorCode)) return code as OcppErrorCode;
  return codes[0] ?? codeForSchemaKeyword(version, 'type');
}

function toIssue(error: ErrorObject): SchemaIssue {
  let path = error.instancePath;
  let message = error.message ?? error.keyword;
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    path = `${path}/${missing}`;
    message = 'is required';
  } else if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    path = `${path}/${extra}`;
    message = 'is not allowed (additionalProperties: false)';
  } else if (error.keyword === 'enum') {
    message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  }
  return { path, rule: error.keyword, message, schemaPath: error.schemaPath };
}

let shared: OcppValidator | undefined;

/**
 * The process-wide validator. Compiled schemas are immutable, so sharing them between charge
 * points and CSMSs in one process is safe and saves compiling the same schema twice.
 */
export function sharedValidator(): OcppValidator {
  shared ??= new OcppValidator();
  return shared;
}
