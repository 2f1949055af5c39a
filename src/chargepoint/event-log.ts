/**
 * The CLI's log: one JSON line per charge point event, with a millisecond timestamp. Nothing
 * secret is ever written (Basic-auth passwords and URL passwords are redacted).
 */
import type { ChargePoint } from './charge-point';
import { redactUrl } from './cli-args';

/** Longest frame text logged; longer frames are cut (their full length is logged). */
export const MAX_LOGGED_FRAME = 4096;

export type LineWriter = (line: string) => void;

export function logLine(write: LineWriter, now: () => number, event: string, fields: object = {}): void {
  const at = now();
  write(`${JSON.stringify({ ts: at, time: new Date(at).toISOString(), event, ...fields })}\n`);
}

/** Logs every event of the charge point; returns nothing to clean up (the listeners die with it). */
export function attachEventLog(cp: ChargePoint, write: LineWriter, now: () => number = Date.now): void {
  const log = (event: string, fields: object = {}) => logLine(write, now, event, fields);
  cp.on('connecting', (e) => log('connect-attempt', { attempt: e.attempt, url: redactUrl(e.url) }));
  cp.on('connected', (e) => log('open', { protocol: e.protocol }));
  cp.on('closed', (e) => log('close', { reason: e.reason, code: e.code, detail: e.detail }));
  cp.on('backoff', (e) => log('backoff-scheduled', { attempt: e.attempt, delayMs: e.delayMs }));
  cp.on('boot', (e) => log('boot', { status: e.status, intervalS: e.intervalS }));
  cp.on('online', () => log('online'));
  cp.on('offline', () => log('offline'));
  cp.on('frame', (e) =>
    log(e.direction === 'in' ? 'frame-in' : 'frame-out', {
      text: e.text.length > MAX_LOGGED_FRAME ? e.text.slice(0, MAX_LOGGED_FRAME) : e.text,
      ...(e.text.length > MAX_LOGGED_FRAME ? { length: e.text.length, truncated: true } : {}),
    }),
  );
  cp.on('warning', (e) => log('warning', { message: e.message }));
}
