/** Test helpers: a seeded random source, a fake transport and a charge point wired to it. */

import {
  ChargePoint,
  type ChargePointOptions,
  type CloseInfo,
  type Transport,
  type TransportHandlers,
  type WsTransportOptions,
} from '../../src/chargepoint';
import { VirtualClock } from '../../src/clock';
import { type Call, parseFrame, serializeFrame } from '../../src/ocpp';

/** mulberry32: a small seeded generator in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lets promise callbacks run (not a sleep: no time passes on any clock). */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A transport with no I/O: the test plays the CSMS. */
export class FakeTransport implements Transport {
  readonly written: string[] = [];
  connected = false;
  isOpen = false;
  ended = false;
  closeCode: number | undefined;

  constructor(
    readonly options: WsTransportOptions,
    private readonly handlers: TransportHandlers,
  ) {}

  connect(): void {
    this.connected = true;
  }
  send(text: string): void {
    if (!this.isOpen) throw new Error('fake transport: not open');
    this.written.push(text);
  }
  close(code: number): void {
    this.closeCode = code;
    this.end({ reason: 'Clean', code, detail: 'closed by the charge point' });
  }
  terminate(reason: CloseInfo['reason'], detail: string): void {
    this.end({ reason, code: 1006, detail });
  }
  ioPending(): boolean {
    return false;
  }

  // --- the CSMS side ---
  open(protocol = this.options.protocol): void {
    this.isOpen = true;
    this.handlers.open(protocol);
  }
  receive(text: string): void {
    this.handlers.message(text);
  }
  end(info: CloseInfo): void {
    if (this.ended) return;
    this.ended = true;
    this.isOpen = false;
    this.handlers.close(info);
  }
  /** The CALLs written so far. */
  calls(): Call[] {
    const out: Call[] = [];
    for (const text of this.written) {
      const parsed = parseFrame(text);
      if (parsed.ok && parsed.frame.type === 2) out.push(parsed.frame);
    }
    return out;
  }
  lastCall(action?: string): Call {
    const calls = this.calls().filter((c) => action === undefined || c.action === action);
    const last = calls[calls.length - 1];
    if (!last) throw new Error(`no ${action ?? ''} CALL written`);
    return last;
  }
  reply(call: Call, payload: Record<string, unknown>): void {
    this.receive(serializeFrame({ type: 3, id: call.id, payload }));
  }
  /** Answers the last BootNotification. */
  answerBoot(status: 'Accepted' | 'Pending' | 'Rejected', intervalS = 60): void {
    this.reply(this.lastCall('BootNotification'), {
      status,
      currentTime: new Date(0).toISOString(),
      interval: intervalS,
    });
  }
}

export interface Harness {
  cp: ChargePoint;
  clock: VirtualClock;
  transports: FakeTransport[];
  last(): FakeTransport;
}

export function harness(options: Partial<ChargePointOptions> = {}): Harness {
  const clock = new VirtualClock(0);
  const transports: FakeTransport[] = [];
  const cp = new ChargePoint({
    url: 'ws://127.0.0.1:9/ocpp/CP001',
    ocppVersion: '1.6',
    clock,
    random: seeded(42),
    transportFactory: (o, h) => {
      const t = new FakeTransport(o, h);
      transports.push(t);
      return t;
    },
    ...options,
  });
  return {
    cp,
    clock,
    transports,
    last: () => {
      const t = transports[transports.length - 1];
      if (!t) throw new Error('no transport yet');
      return t;
    },
  };
}

/** start → open → Boot Accepted → resume delay → online. */
export async function bringOnline(h: Harness, intervalS = 60): Promise<FakeTransport> {
  if (h.cp.state === 'Disconnected' && h.transports.length === 0) h.cp.start();
  const t = h.last();
  t.open();
  t.answerBoot('Accepted', intervalS);
  await flush();
  h.clock.advance(h.cp.policy.resumeDelayMs);
  if (!h.cp.online) throw new Error('not online after the resume delay');
  return t;
}
