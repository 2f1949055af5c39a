import type { ChargePoint } from '../src/chargepoint';
import type { IdentityScript, RecordedCall, RecordedEvent, Recorder } from '../src/csms';
import { ConnectionClosedError } from '../src/ocpp/errors';
import { CALL } from '../src/ocpp/frames';
import { messagesFor } from '../src/ocpp/messages';
import type { OcppVersion } from '../src/ocpp/version';

/** The vendor id the suite's numbered DataTransfer messages carry. */
export const SEQUENCE_VENDOR = 'org.openreconnect.sequence';

export interface Settlement {
  readonly seq: number;
  readonly outcome: 'answered' | 'connection-closed' | 'other-error';
  readonly detail: string;
  /** How many times the call's promise settled (must be exactly 1). */
  readonly times: number;
}

/**
 * Numbered application messages: a burst the charge point sends so the suite can tell, at the
 * CSMS, which message is which and whether any came twice.
 */
export interface NumberedMessages {
  /** The action the numbered messages arrive as at the CSMS. */
  readonly action: string;
  /** Makes the charge point send `count` more; returns their numbers. */
  send(count: number): number[];
  /** The number a recorded CALL carries, if it is one of the numbered messages. */
  sequenceOf(call: RecordedCall): number | undefined;
  /** Numbers sent so far, in order. */
  sent(): readonly number[];
}

/**
 * The reference charge point sends DataTransfer calls with the number in `data`, through its
 * application API, and the suite keeps a ledger of how each call settled.
 */
export class DataTransferNumbers implements NumberedMessages {
  readonly action = 'DataTransfer';
  private next = 1;
  private readonly issued: number[] = [];
  private readonly settled = new Map<
    number,
    { outcome: Settlement['outcome']; detail: string; times: number }
  >();

  constructor(
    private readonly chargePoint: () => ChargePoint,
    private readonly version: () => OcppVersion,
  ) {}

  sent(): readonly number[] {
    return this.issued;
  }

  send(count: number): number[] {
    const cp = this.chargePoint();
    const numbers: number[] = [];
    for (let i = 0; i < count; i++) {
      const seq = this.next++;
      numbers.push(seq);
      this.issued.push(seq);
      const payload = messagesFor(this.version()).dataTransferRequest({
        vendorId: SEQUENCE_VENDOR,
        messageId: 'seq',
        data: String(seq),
      });
      void cp.call('DataTransfer', payload).then(
        () => this.settle(seq, 'answered', 'answered'),
        (error: Error) =>
          this.settle(
            seq,
            error instanceof ConnectionClosedError ? 'connection-closed' : 'other-error',
            `${error.name}: ${error.message}`,
          ),
      );
    }
    return numbers;
  }

  sequenceOf(call: RecordedCall): number | undefined {
    if (call.action !== 'DataTransfer' || call.payload['vendorId'] !== SEQUENCE_VENDOR) return undefined;
    const data = call.payload['data'];
    const seq = typeof data === 'string' ? Number(data) : typeof data === 'number' ? data : Number.NaN;
    return Number.isInteger(seq) ? seq : undefined;
  }

  private settle(seq: number, outcome: Settlement['outcome'], detail: string): void {
    const entry = this.settled.get(seq);
    if (entry === undefined) this.settled.set(seq, { outcome, detail, times: 1 });
    else entry.times++;
  }

  /** How each of `numbers` settled (undefined entries have not settled yet). */
  settlements(numbers: readonly number[]): Array<Settlement | undefined> {
    return numbers.map((seq) => {
      const entry = this.settled.get(seq);
      return entry === undefined ? undefined : { seq, ...entry };
    });
  }

  allSettled(numbers: readonly number[]): boolean {
    return numbers.every((seq) => this.settled.has(seq));
  }
}

/**
 * A third-party charge point is driven through OCPP alone: the CSMS asks it with
 * TriggerMessage for one StatusNotification after another, and each StatusNotification that
 * arrives takes the next number (a re-sent one keeps the number of its id).
 */
export class TriggeredStatusNumbers implements NumberedMessages {
  readonly action = 'StatusNotification';
  private next = 1;
  private readonly issued: number[] = [];
  private readonly waiting: number[] = [];
  private readonly byId = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly script: IdentityScript,
    recorder: Recorder,
    private readonly identity: string,
    private readonly version: () => OcppVersion,
  ) {
    recorder.on('event', (event: RecordedEvent) => this.observe(event));
  }

  sent(): readonly number[] {
    return this.issued;
  }

  send(count: number): number[] {
    // Numbers of an earlier batch that never arrived are gone: the connection they were asked on
    // dropped. If such a message arrives later anyway, the payload check catches it as a repeat.
    this.waiting.length = 0;
    const numbers: number[] = [];
    for (let i = 0; i < count; i++) {
      const seq = this.next++;
      numbers.push(seq);
      this.issued.push(seq);
      this.waiting.push(seq);
    }
    const payload = messagesFor(this.version()).triggerMessageRequest('StatusNotification', 1);
    const batch = { broken: false };
    for (const seq of numbers) {
      this.chain = this.chain.then(async () => {
        if (!batch.broken) {
          try {
            await this.script.sendCall('TriggerMessage', payload, { timeoutMs: 10_000 });
            return;
          } catch {
            batch.broken = true;
          }
        }
        const at = this.waiting.indexOf(seq);
        if (at >= 0) this.waiting.splice(at, 1);
      });
    }
    return numbers;
  }

  sequenceOf(call: RecordedCall): number | undefined {
    return call.action === this.action ? this.byId.get(call.id) : undefined;
  }

  private observe(event: RecordedEvent): void {
    if (event.identity !== this.identity || event.kind !== 'frame' || event.direction !== 'in') return;
    const frame = event.frame;
    if (frame?.type !== CALL || frame.action !== this.action || this.byId.has(frame.id)) return;
    const seq = this.waiting.shift();
    if (seq !== undefined) this.byId.set(frame.id, seq);
  }
}
