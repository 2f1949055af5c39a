import type { Frame } from '../ocpp/frames';
import type { OcppVersion } from '../ocpp/version';
import type { Finding } from './findings';

/** Who started the end of a connection: the CSMS (close, terminate, pong timeout) or the charge point. */
export type ClosedBy = 'csms' | 'cp';

export type EventBody =
  | { kind: 'upgrade'; protocols: string[] }
  | {
      kind: 'handshake';
      outcome: 'accepted' | 'refused' | 'no-subprotocol';
      status?: number;
      protocol?: string;
    }
  | { kind: 'open'; protocol: string; version: OcppVersion }
  | { kind: 'close'; code: number; reason: string; by: ClosedBy }
  | { kind: 'frame'; direction: 'in' | 'out'; text: string; frame?: Frame; deliberateInvalid?: boolean }
  | { kind: 'finding'; finding: Finding }
  | { kind: 'ping' }
  | { kind: 'pong' };

/** One thing that happened, stamped by the recorder. */
export type RecordedEvent = {
  /** Position in the recorder's whole log (all identities), from 1. */
  seq: number;
  /** Time on the CSMS's injected clock. */
  at: number;
  identity: string;
  /** 1-based per identity: the upgrade request this belongs to (0 when none). */
  connection: number;
} & EventBody;

export interface ConnectionRecord {
  identity: string;
  /** 1-based, one per upgrade request (refused ones included). */
  index: number;
  upgradeAt: number;
  openAt?: number;
  closeAt?: number;
  closeCode?: number;
  closeReason?: string;
  closedBy?: ClosedBy;
  protocol?: string;
  /** HTTP status of a refused upgrade. */
  refusedStatus?: number;
  /** When the refusal was answered (the "close" of a refused attempt). */
  refusedAt?: number;
  /** The handshake completed without a subprotocol (closed at once). */
  noSubprotocol?: boolean;
}

/** A CALL the charge point sent. */
export interface RecordedCall {
  identity: string;
  connection: number;
  at: number;
  id: string;
  action: string;
  payload: Record<string, unknown>;
}
