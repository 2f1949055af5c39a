import { EventEmitter } from 'node:events';
import type { Clock } from '../clock';
import { CALL } from '../ocpp/frames';
import { canonicalJson } from './canonical-json';
import type { ConnectionRecord, EventBody, RecordedCall, RecordedEvent } from './events';
import type { Finding, FindingDraft } from './findings';

/**
 * Actions whose payload is legitimately repeated (or empty), so an equal payload on a later
 * connection is not a re-send: they never count as `samePayload` duplicates. Empty payloads
 * never count either. A StatusNotification counts only when it carries a `timestamp` (always in
 * 2.0.1, optional in 1.6): two with the same instant are one event sent twice. Same-id duplicates
 * count for every action.
 */
const REPEATABLE_ACTIONS: ReadonlySet<string> = new Set(['Heartbeat', 'BootNotification']);

export interface Duplicate {
  first: RecordedCall;
  second: RecordedCall;
  sameId: boolean;
  samePayload: boolean;
}

/**
 * Append-only log of everything that crossed the test CSMS's wire, per identity, stamped with
 * the injected clock, plus the queries the suite asks of it. Emits 'event' for every event.
 */
export class Recorder extends EventEmitter {
  private readonly all: RecordedEvent[] = [];
  private readonly byIdentity = new Map<string, RecordedEvent[]>();
  private readonly connectionsOf = new Map<string, ConnectionRecord[]>();
  private readonly callsOf = new Map<string, RecordedCall[]>();

  constructor(private readonly clock: Clock) {
    super();
  }

  /** Records an upgrade request and returns its connection index (1-based per identity). */
  beginConnection(identity: string, protocols: string[]): number {
    const list = this.listOf(this.connectionsOf, identity);
    const index = list.length + 1;
    list.push({ identity, index, upgradeAt: this.clock.now() });
    this.record(identity, index, { kind: 'upgrade', protocols });
    return index;
  }

  /** Stamps and appends one event. */
  record(identity: string, connection: number, body: EventBody): RecordedEvent {
    const event = {
      seq: this.all.length + 1,
      at: this.clock.now(),
      identity,
      connection,
      ...body,
    } as RecordedEvent;
    this.all.push(event);
    this.listOf(this.byIdentity, identity).push(event);
    this.index(event);
    this.emit('event', event);
    return event;
  }

  /** Records a finding (as a 'finding' event) and returns it. */
  recordFinding(identity: string, connection: number, draft: FindingDraft): Finding {
    const finding: Finding = { ...draft, identity, connection, at: this.clock.now() };
    this.record(identity, connection, { kind: 'finding', finding });
    return finding;
  }

  events(identity?: string): readonly RecordedEvent[] {
    return identity === undefined ? this.all : (this.byIdentity.get(identity) ?? []);
  }

  /** One record per upgrade request, refused ones included. Copies: changing them changes nothing here. */
  connections(identity: string): ConnectionRecord[] {
    return (this.connectionsOf.get(identity) ?? []).map((c) => ({ ...c }));
  }

  /** CALLs received from the charge point, in order (of one action when given). */
  calls(identity: string, action?: string): RecordedCall[] {
    const calls = this.callsOf.get(identity) ?? [];
    return action === undefined ? [...calls] : calls.filter((c) => c.action === action);
  }

  /**
   * For each ended attempt that was followed by another: ms from its end (close event, or the
   * refused upgrade's answer) to the next upgrade request.
   */
  reconnectIntervals(identity: string): number[] {
    const list = this.connectionsOf.get(identity) ?? [];
    const intervals: number[] = [];
    for (let i = 0; i + 1 < list.length; i++) {
      const current = list[i] as ConnectionRecord;
      const end = current.closeAt ?? current.refusedAt;
      if (end !== undefined) intervals.push((list[i + 1] as ConnectionRecord).upgradeAt - end);
    }
    return intervals;
  }

  /** The first CALL of `action` received at or after `at`. */
  firstCallAfter(identity: string, action: string, at: number): RecordedCall | undefined {
    return (this.callsOf.get(identity) ?? []).find((c) => c.action === action && c.at >= at);
  }

  /**
   * Calls that reached the CSMS again on a later connection: the same message id (any action),
   * or the same action with a deeply equal payload (non-empty payloads of actions other than
   * Heartbeat, BootNotification and StatusNotification). Each later call is paired with the
   * first earlier call on another connection it repeats.
   */
  duplicates(identity: string): Duplicate[] {
    const calls = this.callsOf.get(identity) ?? [];
    const result: Duplicate[] = [];
    const keys = calls.map(payloadKey);
    for (let j = 0; j < calls.length; j++) {
      const second = calls[j] as RecordedCall;
      for (let i = 0; i < j; i++) {
        const first = calls[i] as RecordedCall;
        if (first.connection === second.connection) continue;
        const sameId = first.id === second.id;
        const samePayload = keys[j] !== undefined && keys[i] === keys[j];
        if (sameId || samePayload) {
          result.push({ first, second, sameId, samePayload });
          break;
        }
      }
    }
    return result;
  }

  findings(identity?: string): Finding[] {
    return this.events(identity).flatMap((e) => (e.kind === 'finding' ? [e.finding] : []));
  }

  /** Plain data for report attachments. Never contains credentials (they are never recorded). */
  toJSON(identity?: string): unknown {
    const identities = identity === undefined ? [...this.byIdentity.keys()] : [identity];
    return {
      identities: identities.map((id) => ({
        identity: id,
        connections: this.connections(id),
        reconnectIntervals: this.reconnectIntervals(id),
        findings: this.findings(id),
        events: this.events(id),
      })),
    };
  }

  private index(event: RecordedEvent): void {
    const list = this.connectionsOf.get(event.identity);
    const record = list?.[event.connection - 1];
    switch (event.kind) {
      case 'handshake':
        if (record === undefined) break;
        if (event.outcome === 'refused') {
          record.refusedStatus = event.status;
          record.refusedAt = event.at;
        } else if (event.outcome === 'no-subprotocol') record.noSubprotocol = true;
        break;
      case 'open':
        if (record === undefined) break;
        record.openAt = event.at;
        record.protocol = event.protocol;
        break;
      case 'close':
        if (record === undefined) break;
        record.closeAt = event.at;
        record.closeCode = event.code;
        record.closeReason = event.reason;
        record.closedBy = event.by;
        break;
      case 'frame':
        if (event.direction === 'in' && event.frame?.type === CALL) {
          this.listOf(this.callsOf, event.identity).push({
            identity: event.identity,
            connection: event.connection,
            at: event.at,
            id: event.frame.id,
            action: event.frame.action,
            payload: event.frame.payload,
          });
        }
        break;
      default:
        break;
    }
  }

  private listOf<T>(map: Map<string, T[]>, identity: string): T[] {
    let list = map.get(identity);
    if (list === undefined) {
      list = [];
      map.set(identity, list);
    }
    return list;
  }
}

function payloadKey(call: RecordedCall): string | undefined {
  if (REPEATABLE_ACTIONS.has(call.action) || Object.keys(call.payload).length === 0) return undefined;
  if (call.action === 'StatusNotification' && call.payload['timestamp'] === undefined) return undefined;
  return `${call.action}|${canonicalJson(call.payload)}`;
}
