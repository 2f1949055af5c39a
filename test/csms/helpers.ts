/** Raw `ws` clients that send crafted frames to the test CSMS, and bounded waits. */

import type { ClientOptions } from 'ws';
import WebSocket from 'ws';
import type { RecordedEvent, TestCsms, TestCsmsOptions } from '../../src/csms';
import { TestCsms as Csms } from '../../src/csms';

export const BOOT16 = { chargePointVendor: 'Acme', chargePointModel: 'Test' };
export const BOOT201 = { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'Test' } };

export function bootPayload(version: '1.6' | '2.0.1'): Record<string, unknown> {
  return version === '1.6' ? BOOT16 : BOOT201;
}

export function subprotocol(version: '1.6' | '2.0.1'): string {
  return version === '1.6' ? 'ocpp1.6' : 'ocpp2.0.1';
}

/** Rejects after `ms` of real time: every wait in these tests is bounded. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits (bounded) until the recorder holds an event matching `match`, looking at past events first. */
export function eventOf<K extends RecordedEvent['kind']>(
  csms: TestCsms,
  match: (event: RecordedEvent) => boolean,
  what = 'an event',
  ms = 3000,
): Promise<Extract<RecordedEvent, { kind: K }>> {
  const found = csms.recorder.events().find(match);
  if (found !== undefined) return Promise.resolve(found as Extract<RecordedEvent, { kind: K }>);
  let listener: ((event: RecordedEvent) => void) | undefined;
  const promise = new Promise<Extract<RecordedEvent, { kind: K }>>((resolve) => {
    listener = (event) => {
      if (match(event)) resolve(event as Extract<RecordedEvent, { kind: K }>);
    };
    csms.recorder.on('event', listener);
  });
  return within(ms, what, promise).finally(() => {
    if (listener !== undefined) csms.recorder.off('event', listener);
  });
}

export function closeOf(csms: TestCsms, identity: string, connection: number) {
  return eventOf<'close'>(
    csms,
    (e) => e.kind === 'close' && e.identity === identity && e.connection === connection,
    `close of ${identity}#${connection}`,
  );
}

export function findingOf(csms: TestCsms, identity: string, kind: string) {
  return eventOf<'finding'>(
    csms,
    (e) => e.kind === 'finding' && e.identity === identity && e.finding.kind === kind,
    `finding ${kind} of ${identity}`,
  );
}

/** Waits until `check` holds, re-checking on every recorded event (bounded). */
export async function until(csms: TestCsms, check: () => boolean, what: string, ms = 3000): Promise<void> {
  if (check()) return;
  await eventOf(csms, () => check(), what, ms);
}

export async function startCsms(options: TestCsmsOptions = {}): Promise<TestCsms> {
  const csms = new Csms(options);
  await csms.listen();
  return csms;
}

/** A raw client: every text frame it receives, parsed, in order. */
export class RawClient {
  readonly received: unknown[][] = [];
  readonly texts: string[] = [];
  private waiters: Array<() => void> = [];
  private counter = 0;
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      this.texts.push(text);
      try {
        this.received.push(JSON.parse(text));
      } catch {
        this.received.push([]);
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        for (const wake of this.waiters.splice(0)) wake();
        resolve({ code, reason: reason.toString() });
      });
    });
    ws.on('error', () => {});
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends a CALL and returns its id. */
  sendCall(action: string, payload: Record<string, unknown>, id = `m${++this.counter}`): string {
    this.send([2, id, action, payload]);
    return id;
  }

  /** The first received frame matching `match` (waiting, bounded). */
  async next(match: (frame: unknown[]) => boolean, what = 'a frame', ms = 3000): Promise<unknown[]> {
    const find = () => this.received.find(match);
    return within(
      ms,
      what,
      new Promise<unknown[]>((resolve, reject) => {
        const check = () => {
          const found = find();
          if (found !== undefined) resolve(found);
          else if (this.ws.readyState === WebSocket.CLOSED)
            reject(new Error(`closed while waiting for ${what}`));
          else this.waiters.push(check);
        };
        check();
      }),
    );
  }

  /** The answer (CALLRESULT or CALLERROR) to message id. */
  answerTo(id: string, ms = 3000): Promise<unknown[]> {
    return this.next((f) => (f[0] === 3 || f[0] === 4) && f[1] === id, `the answer to ${id}`, ms);
  }

  /** Sends a CALL and waits for its answer. */
  async call(action: string, payload: Record<string, unknown>, id?: string): Promise<unknown[]> {
    return this.answerTo(this.sendCall(action, payload, id));
  }

  async boot(version: '1.6' | '2.0.1'): Promise<unknown[]> {
    return this.call('BootNotification', bootPayload(version));
  }

  close(code = 1000): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code);
    return this.closed;
  }
}

/** Opens a raw client (resolves on open, rejects with the HTTP status on a refused upgrade). */
export function connect(
  url: string,
  protocols: string | string[] = 'ocpp1.6',
  options: ClientOptions = {},
): Promise<RawClient> {
  const ws = new WebSocket(url, protocols, options);
  return within(
    3000,
    `connect to ${url}`,
    new Promise<RawClient>((resolve, reject) => {
      const client = new RawClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode }));
        ws.terminate();
      });
      ws.once('error', reject);
    }),
  );
}

/** Connects and boots (Accepted by default). */
export async function bootedClient(csms: TestCsms, identity: string, version: '1.6' | '2.0.1' = '1.6') {
  const client = await connect(csms.url(identity), subprotocol(version));
  const answer = await client.boot(version);
  if (answer[0] !== 3) throw new Error(`boot not answered: ${JSON.stringify(answer)}`);
  return client;
}

/** Waits (bounded) until the CSMS has received the frame with this message id. */
export function received(csms: TestCsms, id: string) {
  return eventOf<'frame'>(
    csms,
    (e) => e.kind === 'frame' && e.direction === 'in' && e.frame?.id === id,
    `the CSMS receiving ${id}`,
  );
}
