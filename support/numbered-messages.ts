import type { ChargePoint } from '../src/chargepoint';
import type { RecordedCall } from '../src/csms';
import { ConnectionClosedError } from '../src/ocpp/errors';
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
 * Numbered application messages (DataTransfer with a sequence number) sent by the reference
 * charge point, and a ledger of how each settled, so "every call settles once" and "no number
 * from before the drop comes back" can be checked.
 */
export class NumberedMessages {
  private next = 1;
  private readonly settled = new Map<
    number,
    { outcome: Settlement['outcome']; detail: string; times: number }
  >();

  private readonly issued: number[] = [];

  /** Sequence numbers sent so far, in order. */
  sent(): readonly number[] {
    return this.issued;
  }

  /** Sends `count` numbered messages without waiting for their answers; returns their numbers. */
  send(cp: ChargePoint, version: OcppVersion, count: number): number[] {
    const numbers: number[] = [];
    for (let i = 0; i < count; i++) {
      const seq = this.next++;
      numbers.push(seq);
      this.issued.push(seq);
      const payload = messagesFor(version).dataTransferRequest({
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

/** The sequence number a recorded DataTransfer carries, if it is one of the suite's numbered messages. */
export function sequenceOf(call: RecordedCall): number | undefined {
  if (call.action !== 'DataTransfer' || call.payload['vendorId'] !== SEQUENCE_VENDOR) return undefined;
  const data = call.payload['data'];
  const seq = typeof data === 'string' ? Number(data) : typeof data === 'number' ? data : Number.NaN;
  return Number.isInteger(seq) ? seq : undefined;
}
