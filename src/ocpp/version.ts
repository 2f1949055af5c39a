/** The OCPP-J versions this project speaks. */
export type OcppVersion = '1.6' | '2.0.1';

export const OCPP_VERSIONS: readonly OcppVersion[] = ['1.6', '2.0.1'];

/** WebSocket subprotocol name of each version (OCPP-J §3.1, OCPP 2.0.1 Part 4 §3.1.2). */
export const SUBPROTOCOL: Readonly<Record<OcppVersion, string>> = {
  '1.6': 'ocpp1.6',
  '2.0.1': 'ocpp2.0.1',
};

export function versionOfSubprotocol(protocol: string | undefined): OcppVersion | undefined {
  if (protocol === 'ocpp1.6') return '1.6';
  if (protocol === 'ocpp2.0.1') return '2.0.1';
  return undefined;
}

export function isOcppVersion(value: unknown): value is OcppVersion {
  return value === '1.6' || value === '2.0.1';
}
