import type { IncomingMessage } from 'node:http';
import { type OcppVersion, SUBPROTOCOL } from '../ocpp/version';

/** Longest charge point identity (OCPP 2.0.1 identifierString 48); a longer one gets 404. */
export const MAX_IDENTITY_LENGTH = 48;

/**
 * The identity in an upgrade request's path (`{prefix}{identity}`), or undefined when the path
 * does not match or the identity is not one a charge point may have (over 48 characters, or a
 * `:`, which would break the Basic-auth `user:password` pair): those get 404.
 */
export function identityFromPath(url: string | undefined, prefix: string): string | undefined {
  let path: string;
  try {
    path = new URL(url ?? '/', 'http://csms.invalid').pathname;
  } catch {
    return undefined;
  }
  if (!path.startsWith(prefix)) return undefined;
  const raw = path.slice(prefix.length);
  if (raw.length === 0 || raw.includes('/')) return undefined;
  let identity: string;
  try {
    identity = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (identity.length > MAX_IDENTITY_LENGTH || identity.includes(':')) return undefined;
  return identity;
}

/** Subprotocols the client offered, in its order of preference. */
export function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (header === undefined) return [];
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** The first subprotocol the client offered that the CSMS accepts for this identity. */
export function chooseProtocol(
  offered: readonly string[],
  allowed: readonly OcppVersion[],
): string | undefined {
  const accepted = new Set(allowed.map((v) => SUBPROTOCOL[v]));
  return offered.find((p) => accepted.has(p));
}

/**
 * Security profile 1: `Authorization: Basic base64(identity:AuthorizationKey)`. The user must be
 * the identity and the password its key.
 */
export function basicAuthMatches(request: IncomingMessage, identity: string, password: string): boolean {
  const header = request.headers.authorization;
  if (header === undefined) return false;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match === null) return false;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  return decoded.slice(0, colon) === identity && decoded.slice(colon + 1) === password;
}
