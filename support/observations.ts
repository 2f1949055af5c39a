import type { ConnectionRecord, RecordedCall, RecordedEvent, Recorder } from '../src/csms';
import { CALLRESULT } from '../src/ocpp/frames';

export interface BootAnswer {
  readonly connection: number;
  /** When the charge point's BootNotification arrived. */
  readonly callAt: number;
  /** When the CSMS answered it. */
  readonly at: number;
  readonly status: string;
  readonly intervalS: number;
}

/**
 * Facts about one charge point, read from the CSMS's recorder: the single source of truth for
 * what crossed the wire. Every verdict is computed from these, never from the charge point's
 * own account of itself (except in `@reference-only` steps).
 */
export class Observations {
  constructor(
    private readonly recorder: Recorder,
    readonly identity: string,
  ) {}

  events(): readonly RecordedEvent[] {
    return this.recorder.events(this.identity);
  }

  connections(): ConnectionRecord[] {
    return this.recorder.connections(this.identity);
  }

  /** Connections that completed the WebSocket handshake. */
  openedConnections(): ConnectionRecord[] {
    return this.connections().filter((c) => c.openAt !== undefined);
  }

  latestConnection(): ConnectionRecord | undefined {
    const all = this.connections();
    return all[all.length - 1];
  }

  calls(action?: string): RecordedCall[] {
    return this.recorder.calls(this.identity, action);
  }

  callsOn(connection: number, action?: string): RecordedCall[] {
    return this.calls(action).filter((c) => c.connection === connection);
  }

  bootAnswers(): BootAnswer[] {
    const boots = new Map<string, RecordedCall>();
    for (const call of this.calls('BootNotification')) boots.set(`${call.connection}|${call.id}`, call);
    const answers: BootAnswer[] = [];
    for (const event of this.events()) {
      if (event.kind !== 'frame' || event.direction !== 'out' || event.frame?.type !== CALLRESULT) continue;
      const call = boots.get(`${event.connection}|${event.frame.id}`);
      if (call === undefined) continue;
      answers.push({
        connection: event.connection,
        callAt: call.at,
        at: event.at,
        status: String(event.frame.payload['status']),
        intervalS: Number(event.frame.payload['interval']),
      });
    }
    return answers;
  }

  acceptedBootOn(connection: number): BootAnswer | undefined {
    return this.bootAnswers().find((b) => b.connection === connection && b.status === 'Accepted');
  }

  /** Close events, in order. */
  closes(): Array<Extract<RecordedEvent, { kind: 'close' }>> {
    return this.events().filter((e): e is Extract<RecordedEvent, { kind: 'close' }> => e.kind === 'close');
  }

  /** Upgrade requests, in order: every connection attempt that reached the CSMS. */
  upgrades(): Array<Extract<RecordedEvent, { kind: 'upgrade' }>> {
    return this.events().filter(
      (e): e is Extract<RecordedEvent, { kind: 'upgrade' }> => e.kind === 'upgrade',
    );
  }

  /** The charge point is seen online on a connection once it sends a Heartbeat there. */
  firstHeartbeatOn(connection: number): RecordedCall | undefined {
    return this.callsOn(connection, 'Heartbeat')[0];
  }

  /** The first CALL other than BootNotification on a connection. */
  firstNonBootCallOn(connection: number): RecordedCall | undefined {
    return this.callsOn(connection).find((c) => c.action !== 'BootNotification');
  }

  /** The largest number of connections that were open at the same time. */
  maxConcurrentConnections(): number {
    const edges: Array<[number, number]> = [];
    for (const c of this.openedConnections()) {
      edges.push([c.openAt as number, 1]);
      if (c.closeAt !== undefined) edges.push([c.closeAt, -1]);
    }
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let open = 0;
    let max = 0;
    for (const [, delta] of edges) {
      open += delta;
      max = Math.max(max, open);
    }
    return max;
  }

  /** A one-line account of the connections so far, for failure messages. */
  summary(): string {
    const connections = this.connections()
      .map((c) => {
        const parts = [`#${c.index} upgrade@${c.upgradeAt}`];
        if (c.refusedStatus !== undefined) parts.push(`refused ${c.refusedStatus}`);
        if (c.openAt !== undefined) parts.push(`open@${c.openAt}`);
        if (c.closeAt !== undefined) parts.push(`close@${c.closeAt}(${c.closeCode} by ${c.closedBy})`);
        return parts.join(' ');
      })
      .join('; ');
    const calls = this.calls()
      .map((c) => `${c.action}@${c.at}#${c.connection}`)
      .slice(-12)
      .join(', ');
    return `connections: ${connections || 'none'}; last calls: ${calls || 'none'}`;
  }
}
