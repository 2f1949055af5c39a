/** Words shared by the transport, the reconnect controller and the facade (SPEC §1). */

export type ConnectionState = 'Disconnected' | 'Connecting' | 'Connected' | 'Closing';

/** `Clean`: close frame 1000/1001; `TransportError`: socket error, abrupt end, missed pong; `ProtocolError`: subprotocol not agreed, invalid frame. */
export type CloseReason = 'Clean' | 'TransportError' | 'ProtocolError';

export interface CloseInfo {
  readonly reason: CloseReason;
  readonly code: number;
  readonly detail: string;
  /** The HTTP status of a refused upgrade (401, 404, 503 …), when the server answered one. */
  readonly httpStatus?: number;
}
