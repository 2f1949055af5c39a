import type { Clock } from '../src/clock';
import { VirtualClock } from '../src/clock';

/** What the time keeper needs to know about the systems it drives. */
export interface Probe {
  /** Names of what still has real I/O under way (empty when quiescent). */
  busy(): string[];
  /** A counter that moves whenever anything observable happens (frames, events). */
  activity(): number;
  /** Calls back whenever something observable happens; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Why waiting is pointless (the charge point under test is gone), or undefined. */
  failure(): string | undefined;
}

/** Thrown when an awaited condition does not come true in time; the message says what was seen. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

const SETTLE_LIMIT_MS = 3_000;
const STABLE_TURNS = 3;
/** Bound on real time spent in one virtual-clock wait (many timers, real I/O between them). */
const VIRTUAL_WAIT_REAL_LIMIT_MS = 20_000;
const POLL_MS = 10;

/**
 * "Time passes" is the only way a scenario moves time (ARCHITECTURE.md). On the virtual clock it
 * advances to the next due timer only when the system is quiescent — no connection attempt or
 * close handshake under way, nothing written but not yet handled — and reaching quiescence is
 * itself a bounded real-time wait. On the system clock it waits, bounded.
 */
export class TimeKeeper {
  readonly virtual: VirtualClock | undefined;

  constructor(
    readonly clock: Clock,
    private readonly probe: Probe,
  ) {
    this.virtual = clock instanceof VirtualClock ? clock : undefined;
  }

  now(): number {
    return this.clock.now();
  }

  /** Waits (real time, bounded) until no real I/O is under way and nothing moved for a few loop turns. */
  async settle(): Promise<void> {
    const deadline = Date.now() + SETTLE_LIMIT_MS;
    let stable = 0;
    let last = this.probe.activity();
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const busy = this.probe.busy();
      const activity = this.probe.activity();
      stable = busy.length === 0 && activity === last ? stable + 1 : 0;
      last = activity;
      if (stable >= STABLE_TURNS) return;
      if (Date.now() > deadline) {
        throw new WaitTimeoutError(
          `the charge point and the CSMS did not become quiescent within ${SETTLE_LIMIT_MS} ms (busy: ${busy.join(', ') || 'frames still moving'})`,
        );
      }
    }
  }

  /**
   * Waits until `check` returns a value (not undefined), at most `withinMs` of policy time.
   * Virtual clock: fires timers one by one, settling in between, so the condition is seen at
   * the exact virtual instant it becomes true. System clock: re-checks on every event.
   */
  async waitFor<T>(
    what: string,
    withinMs: number,
    check: () => T | undefined,
    seen?: () => string,
  ): Promise<T> {
    return this.virtual === undefined
      ? this.waitReal(what, withinMs, check, seen)
      : this.waitVirtual(this.virtual, what, withinMs, check, seen);
  }

  /** Lets `ms` of policy time pass (the stimulus "time passes", not a wait for something to settle). */
  async pass(ms: number): Promise<void> {
    if (this.virtual === undefined) {
      await new Promise<void>((resolve) => setTimeout(resolve, ms));
      return;
    }
    const target = this.virtual.now() + ms;
    await this.runVirtualUntil(this.virtual, target, () => false);
  }

  private async waitVirtual<T>(
    clock: VirtualClock,
    what: string,
    withinMs: number,
    check: () => T | undefined,
    seen?: () => string,
  ): Promise<T> {
    const start = clock.now();
    const deadline = start + withinMs;
    let found: T | undefined;
    await this.runVirtualUntil(clock, deadline, () => {
      this.throwIfHopeless(what);
      found = check();
      return found !== undefined;
    });
    if (found !== undefined) return found;
    throw new WaitTimeoutError(
      `${what}: not seen within ${withinMs} ms (virtual ${start}–${clock.now()} ms)${seen ? `; seen: ${seen()}` : ''}`,
    );
  }

  /** Fires timers in order up to `target`, settling between them, stopping early when `done()`. */
  private async runVirtualUntil(clock: VirtualClock, target: number, done: () => boolean): Promise<void> {
    const realDeadline = Date.now() + VIRTUAL_WAIT_REAL_LIMIT_MS;
    for (;;) {
      await this.settle();
      if (done()) return;
      const next = clock.nextDueAt();
      if (next === undefined || next > target) {
        if (clock.now() < target) {
          clock.advance(target - clock.now());
          await this.settle();
          done();
        }
        return;
      }
      clock.runToNext();
      if (Date.now() > realDeadline) {
        throw new WaitTimeoutError(
          `virtual time could not reach ${target} ms within ${VIRTUAL_WAIT_REAL_LIMIT_MS} ms of real time (at ${clock.now()} ms)`,
        );
      }
    }
  }

  private throwIfHopeless(what: string): void {
    const failure = this.probe.failure();
    if (failure !== undefined) throw new WaitTimeoutError(`${what}: cannot happen any more: ${failure}`);
  }

  private waitReal<T>(
    what: string,
    withinMs: number,
    check: () => T | undefined,
    seen?: () => string,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = Date.now();
      let finished = false;
      const finish = (error: Error | undefined, value?: T) => {
        if (finished) return;
        finished = true;
        unsubscribe();
        clearInterval(poll);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(value as T);
      };
      const test = () => {
        try {
          this.throwIfHopeless(what);
          const value = check();
          if (value !== undefined) finish(undefined, value);
        } catch (error) {
          finish(error as Error);
        }
      };
      const unsubscribe = this.probe.subscribe(test);
      // Some conditions are states, not events (e.g. "still offline"): re-check on a short poll too.
      const poll = setInterval(test, POLL_MS);
      const timer = setTimeout(() => {
        test();
        finish(
          new WaitTimeoutError(
            `${what}: not seen within ${withinMs} ms (waited ${Date.now() - start} ms of real time)${seen ? `; seen: ${seen()}` : ''}`,
          ),
        );
      }, withinMs);
      test();
    });
  }
}
