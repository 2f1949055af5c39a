/**
 * Maps every way a WebSocket can end to one of SPEC §1's close reasons.
 */
import type { CloseInfo, CloseReason } from './connection-types';

/** Close codes (RFC 6455 §7.4.1) that say the peer broke the protocol. */
const PROTOCOL_CODES = new Set([1002, 1003, 1007, 1008, 1009, 1010]);
/** Codes that say the connection ended without a proper close handshake, or on a failure. */
const TRANSPORT_CODES = new Set([1006, 1011, 1014, 1015]);

export interface CloseEvidence {
  /** Close code ws reported (1005: close frame without a code, 1006: no close frame). */
  readonly code: number;
  /** Close reason text from the close frame, if any. */
  readonly reasonText?: string;
  /** The last 'error' ws emitted on this socket, if any. */
  readonly error?: Error & { code?: string };
  /** What this side decided, overriding the rest (missed pong, subprotocol not agreed, our own close). */
  readonly forced?: { readonly reason: CloseReason; readonly detail: string };
}

export function classifyClose(evidence: CloseEvidence): CloseInfo {
  const { code, reasonText, error, forced } = evidence;
  if (forced) return { reason: forced.reason, code, detail: forced.detail };
  if (error) {
    const protocol = isProtocolError(error);
    const reason = protocol ? 'ProtocolError' : 'TransportError';
    // ws: "Unexpected server response: 401" — keep the status for metrics and the log.
    const status = /Unexpected server response: (\d{3})/.exec(error.message);
    const httpStatus = status ? { httpStatus: Number(status[1]) } : {};
    const detail =
      error.code && !error.message.includes(error.code) ? `${error.code}: ${error.message}` : error.message;
    return { reason, code, detail, ...httpStatus };
  }
  const detail = reasonText ? `close ${code}: ${reasonText}` : `close ${code}`;
  if (PROTOCOL_CODES.has(code)) return { reason: 'ProtocolError', code, detail };
  if (TRANSPORT_CODES.has(code)) return { reason: 'TransportError', code, detail };
  // 1000, 1001, 1005, 1012, 1013 and application codes (3000–4999): a close handshake took place.
  return { reason: 'Clean', code, detail };
}

/** ws's errors for invalid frames carry a `WS_ERR_*` code; a refused subprotocol is a handshake error. */
function isProtocolError(error: Error & { code?: string }): boolean {
  if (typeof error.code === 'string' && error.code.startsWith('WS_ERR_')) return true;
  return /subprotocol/i.test(error.message);
}
