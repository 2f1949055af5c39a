import { createClock } from '@sinonjs/fake-timers';

/** Opaque handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = { readonly __timer: true } | NodeJS.Timeout | number | object;

/**
 * Time is a dependency: every timer and timestamp in `src/` goes through a Clock so the
 * same code runs on the system clock (production, real-time suite) and on a virtual clock
 * (unit tests, virtual-clock suite).
 */
export interface Clock {
  /** Milliseconds since an arbitrary epoch (the Unix epoch on the system clock). */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

/** The real clock. Timers are ordinary Node timers; nothing global is replaced. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, Math.max(0, ms)),
  clearTimeout: (handle) => {
    if (handle !== undefined) clearTimeout(handle as NodeJS.Timeout);
  },
};

/**
 * A virtual clock built on `@sinonjs/fake-timers`' `createClock()` (never `install()`: no
 * global is touched, so real sockets and real timers keep working beside it).
 * Time only moves when {@link advance}, {@link runToNext} or {@link runAll} is called.
 */
export class VirtualClock implements Clock {
  private readonly fake;
  /** Due time of every pending timer, so "time until the next timer" is known. */
  private readonly due = new Map<TimerHandle, number>();

  constructor(startMs = 0) {
    this.fake = createClock(startMs);
  }

  now(): number {
    return this.fake.now;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const delay = Math.max(0, Math.floor(ms));
    const holder: { handle?: TimerHandle } = {};
    const handle = this.fake.setTimeout(() => {
      this.due.delete(holder.handle as TimerHandle);
      callback();
    }, delay) as unknown as TimerHandle;
    holder.handle = handle;
    this.due.set(handle, this.fake.now + delay);
    return handle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    this.due.delete(handle);
    this.fake.clearTimeout(handle as Parameters<typeof this.fake.clearTimeout>[0]);
  }

  /** Number of timers waiting to fire. */
  pendingTimers(): number {
    return this.due.size;
  }

  /** Virtual time at which the next timer fires, or undefined when none is pending. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const at of this.due.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`cannot advance a clock by ${ms} ms`);
    this.fake.tick(ms);
  }

  /** Moves time to the next due timer and fires it (and any due at the same instant). Returns false when none is pending. */
  runToNext(): boolean {
    const at = this.nextDueAt();
    if (at === undefined) return false;
    this.fake.tick(Math.max(0, at - this.fake.now));
    return true;
  }

  /** Fires every pending timer, including ones scheduled while running, up to `limit` timers. */
  runAll(limit = 10_000): void {
    for (let i = 0; i < limit; i++) if (!this.runToNext()) return;
    throw new Error(
      `runAll: still ${this.due.size} timers after ${limit} (a timer keeps rescheduling itself)`,
    );
  }
}
