/** A plain `ws` server on 127.0.0.1 for transport tests (not the project's CSMS), bounded waits, and a charge point to point at it. */

import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerOptions, type WebSocket, WebSocketServer } from 'ws';
import { ChargePoint, type ChargePointOptions } from '../../src/chargepoint';
import { VirtualClock } from '../../src/clock';
import { seeded } from './helpers';

export interface Loopback {
  readonly wss: WebSocketServer;
  readonly port: number;
  url(identity?: string): string;
  /** Every connection so far with its upgrade request. */
  readonly connections: Array<{ ws: WebSocket; request: IncomingMessage; received: string[] }>;
  close(): Promise<void>;
}

export async function startLoopback(
  onConnection: (ws: WebSocket, request: IncomingMessage, received: string[]) => void = () => {},
  options: ServerOptions = {},
): Promise<Loopback> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options });
  await once(wss, 'listening');
  const port = (wss.address() as AddressInfo).port;
  const connections: Loopback['connections'] = [];
  wss.on('connection', (ws, request) => {
    const received: string[] = [];
    ws.on('message', (data) => received.push(data.toString()));
    connections.push({ ws, request, received });
    onConnection(ws, request, received);
  });
  return {
    wss,
    port,
    url: (identity = 'CP001') => `ws://127.0.0.1:${port}/ocpp/${identity}`,
    connections,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** An OCPP 1.6/2.0.1 answerer: BootNotification Accepted, Heartbeat answered. */
export function answerBootAndHeartbeat(status = 'Accepted', intervalS = 60) {
  return (ws: WebSocket) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame[0] !== 2) return;
      const now = new Date().toISOString();
      if (frame[2] === 'BootNotification') {
        ws.send(JSON.stringify([3, frame[1], { status, currentTime: now, interval: intervalS }]));
      } else if (frame[2] === 'Heartbeat') {
        ws.send(JSON.stringify([3, frame[1], { currentTime: now }]));
      }
    });
  };
}

/** Resolves with the event's arguments, or rejects after `ms` of real time. */
export function waitFor<T extends unknown[] = unknown[]>(
  emitter: NodeJS.EventEmitter,
  event: string,
  ms = 3000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no '${event}' within ${ms} ms`));
    }, ms);
    const listener = (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args as T);
    };
    emitter.once(event, listener);
  });
}

/** Resolves once `predicate` holds, checking on every event-loop turn, or rejects after `ms`. */
export async function until(predicate: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A 1.6 reference charge point on its own virtual clock with a seeded random source and a small policy. */
export function virtualClockCp(url: string, options: Partial<ChargePointOptions> = {}, seed = 9) {
  const clock = new VirtualClock(0);
  const cp = new ChargePoint({
    url,
    ocppVersion: '1.6',
    clock,
    random: seeded(seed),
    policy: { initialBackoffMs: 100, maxBackoffMs: 1600, jitterRatio: 0, resumeDelayMs: 250 },
    ...options,
  });
  return { cp, clock };
}
