/**
 * Outbound CALLs of one connection (SPEC §4): a bounded FIFO with one CALL in flight (OCPP-J),
 * a timeout per CALL, the answer checked against the response schema, and every call settled
 * exactly once. A queue lives as long as its connection: {@link closeAll} rejects everything
 * with ConnectionClosedError and nothing in it is ever written again.
 */
import type { Clock, TimerHandle } from '../clock';
import {
  type CallError,
  CallErrorResponse,
  type CallResult,
  CallTimeoutError,
  ConnectionClosedError,
  call as callFrame,
  type OcppValidator,
  type OcppVersion,
  type Payload,
  QueueFullError,
  serializeFrame,
} from '../ocpp';
import type { MessageIdSource } from './message-ids';
import { validationError } from './validation-errors';

export interface CallQueueOptions {
  readonly version: OcppVersion;
  readonly clock: Clock;
  readonly validator: OcppValidator;
  readonly ids: MessageIdSource;
  /** Writes one text frame to the connection; throws when it cannot. */
  readonly write: (text: string) => void;
  readonly timeoutMs: number;
  readonly limit: number;
  /** Test-only fault: write queued CALLs without waiting for the previous answer. */
  readonly pipeline?: boolean;
}

interface Entry {
  readonly id: string;
  readonly action: string;
  readonly text: string;
  readonly resolve: (payload: Payload) => void;
  readonly reject: (error: Error) => void;
  timer?: TimerHandle;
  settled: boolean;
}

export interface SendOptions {
  /** Write at once, even past a CALL in flight (only the sendBeforeBootAccepted fault uses it). */
  readonly immediate?: boolean;
}

export class CallQueue {
  private readonly waiting: Entry[] = [];
  private readonly inFlight = new Map<string, Entry>();
  private closed = false;

  constructor(private readonly options: CallQueueOptions) {}

  /** Calls waiting plus in flight. */
  get size(): number {
    return this.waiting.length + this.inFlight.size;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Validates the request, queues it and resolves with the (validated) answer. */
  send(action: string, payload: Payload, sendOptions: SendOptions = {}): Promise<Payload> {
    const { version, validator } = this.options;
    if (this.closed) return Promise.reject(new ConnectionClosedError(action));
    const failure = validator.validateRequest(version, action, payload);
    if (failure) return Promise.reject(validationError(failure, 'request'));
    if (this.waiting.length >= this.options.limit) {
      return Promise.reject(new QueueFullError(action, this.options.limit));
    }
    return new Promise<Payload>((resolve, reject) => {
      const id = this.options.ids.next();
      const text = serializeFrame(callFrame(id, action, payload));
      const entry: Entry = { id, action, text, resolve, reject, settled: false };
      if (sendOptions.immediate) this.write(entry);
      else {
        this.waiting.push(entry);
        this.pump();
      }
    });
  }

  /** Handles a CALLRESULT; false when its id is not in flight (unknown or late: ignored). */
  handleResult(frame: CallResult): boolean {
    const entry = this.take(frame.id);
    if (!entry) return false;
    const failure = this.options.validator.validateResponse(
      this.options.version,
      entry.action,
      frame.payload,
    );
    if (failure) this.settle(entry, validationError(failure, 'response'));
    else this.settle(entry, undefined, frame.payload);
    this.pump();
    return true;
  }

  /** Handles a CALLERROR; false when its id is not in flight. */
  handleError(frame: CallError): boolean {
    const entry = this.take(frame.id);
    if (!entry) return false;
    this.settle(entry, new CallErrorResponse(entry.action, frame.code, frame.description, frame.details));
    this.pump();
    return true;
  }

  /**
   * The connection closed: every call in flight or waiting rejects with ConnectionClosedError,
   * exactly once; the queue accepts nothing more. Returns the frames that were in flight or
   * waiting (only the resendInFlight fault looks at them).
   */
  closeAll(): string[] {
    this.closed = true;
    const abandoned = [...this.inFlight.values(), ...this.waiting];
    this.inFlight.clear();
    this.waiting.length = 0;
    for (const entry of abandoned) this.settle(entry, new ConnectionClosedError(entry.action));
    return abandoned.map((e) => e.text);
  }

  private pump(): void {
    const max = this.options.pipeline ? Number.POSITIVE_INFINITY : 1;
    while (!this.closed && this.inFlight.size < max && this.waiting.length > 0) {
      this.write(this.waiting.shift() as Entry);
    }
  }

  private write(entry: Entry): void {
    this.inFlight.set(entry.id, entry);
    entry.timer = this.options.clock.setTimeout(() => {
      if (this.inFlight.get(entry.id) !== entry) return;
      this.inFlight.delete(entry.id);
      this.settle(entry, new CallTimeoutError(entry.action, entry.id, this.options.timeoutMs));
      this.pump();
    }, this.options.timeoutMs);
    try {
      this.options.write(entry.text);
    } catch {
      this.inFlight.delete(entry.id);
      this.settle(entry, new ConnectionClosedError(entry.action));
    }
  }

  private take(id: string): Entry | undefined {
    const entry = this.inFlight.get(id);
    if (entry) this.inFlight.delete(id);
    return entry;
  }

  private settle(entry: Entry, error: Error | undefined, payload?: Payload): void {
    if (entry.settled) return;
    entry.settled = true;
    this.options.clock.clearTimeout(entry.timer);
    if (error) entry.reject(error);
    else entry.resolve(payload as Payload);
  }
}
