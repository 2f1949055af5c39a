/**
 * A child process that runs a share of the fleet: reference charge points against the test CSMS
 * in the parent. Started by `fleet.ts` with an IPC channel; every loop here is bounded by the
 * number of identities it was given, and it exits by itself once every charge point is stopped.
 */
import { ChargePoint } from '../../src/chargepoint';
import type { FromWorker, HerdRecord, ToWorker, WorkerConfig } from './protocol';

const STOP_TIMEOUT_MS = 15_000;

const fleet: ChargePoint[] = [];
let online = 0;
let lastOnlineAt = 0;
let warnings = 0;
let back = 0;
let marked = false;
let records: Array<{
  attempts: Array<[number, number]>;
  closedAt: number | undefined;
  onlineAt: number | undefined;
}> = [];
let progressTimer: NodeJS.Timeout | undefined;
let startTimer: NodeJS.Timeout | undefined;

function send(message: FromWorker): void {
  process.send?.(message);
}

function progress(): void {
  send({ type: 'progress', started: fleet.length, online, lastOnlineAt, warnings, back });
}

function start(config: WorkerConfig): void {
  let next = 0;
  const startSome = () => {
    startTimer = undefined;
    const end = Math.min(config.identities.length, next + config.startBatch);
    for (; next < end; next++) {
      const index = fleet.length;
      const cp = new ChargePoint({
        url: config.urlPrefix + (config.identities[next] as string),
        ocppVersion: '1.6',
        policy: config.policy,
      });
      cp.on('online', () => {
        online += 1;
        lastOnlineAt = Date.now();
        if (marked) {
          const record = records[index];
          if (record && record.onlineAt === undefined) {
            record.onlineAt = lastOnlineAt;
            back += 1;
          }
        }
      });
      cp.on('offline', () => {
        online -= 1;
      });
      cp.on('connecting', ({ attempt }) => {
        if (marked) records[index]?.attempts.push([attempt, Date.now()]);
      });
      cp.on('closed', () => {
        const record = marked ? records[index] : undefined;
        if (record && record.closedAt === undefined) record.closedAt = Date.now();
      });
      cp.on('warning', () => {
        warnings += 1;
      });
      fleet.push(cp);
      cp.start();
    }
    if (next < config.identities.length) startTimer = setTimeout(startSome, config.startTickMs);
  };
  startSome();
  progressTimer = setInterval(progress, 100);
}

async function stop(): Promise<void> {
  if (startTimer !== undefined) clearTimeout(startTimer);
  if (progressTimer !== undefined) clearInterval(progressTimer);
  const begin = Date.now();
  let guard: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(fleet.map((cp) => cp.stop())),
    new Promise<void>((resolve) => {
      guard = setTimeout(resolve, STOP_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(guard);
  for (const cp of fleet) cp.forceDrop(); // only matters for one that did not stop in time
  send({ type: 'stopped', stopMs: Date.now() - begin });
  process.disconnect?.();
}

process.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'start':
      start(message.config);
      return;
    case 'mark':
      marked = true;
      back = 0;
      records = fleet.map(() => ({ attempts: [], closedAt: undefined, onlineAt: undefined }));
      send({ type: 'marked' });
      return;
    case 'report':
      send({ type: 'report', records: records as HerdRecord[], rssBytes: process.memoryUsage().rss });
      return;
    case 'stop':
      void stop();
      return;
  }
});

send({ type: 'ready' });
