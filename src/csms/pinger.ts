import type { Clock, TimerHandle } from '../clock';

/**
 * Server-side keep-alive for one connection, on the injected clock: a ping every `intervalMs`;
 * when no pong arrives within `pongTimeoutMs` of a ping, `onDead` runs once and pinging stops
 * (libocpp #1135: drop a dead charge point).
 */
export class Pinger {
  private interval: TimerHandle | undefined;
  private deadline: TimerHandle | undefined;
  private settings: { intervalMs: number; pongTimeoutMs: number } | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly sendPing: () => void,
    private readonly onDead: () => void,
  ) {}

  get running(): boolean {
    return this.settings !== undefined;
  }

  /** Starts, or restarts with new settings; the first ping goes out after one interval. */
  start(intervalMs: number, pongTimeoutMs: number): void {
    const same = this.settings?.intervalMs === intervalMs && this.settings.pongTimeoutMs === pongTimeoutMs;
    if (same) return;
    this.stop();
    this.settings = { intervalMs, pongTimeoutMs };
    this.schedule();
  }

  stop(): void {
    this.clock.clearTimeout(this.interval);
    this.clock.clearTimeout(this.deadline);
    this.interval = undefined;
    this.deadline = undefined;
    this.settings = undefined;
  }

  /** A pong arrived: the peer is alive. */
  pong(): void {
    this.clock.clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  private schedule(): void {
    const settings = this.settings;
    if (settings === undefined) return;
    this.interval = this.clock.setTimeout(() => {
      this.interval = undefined;
      if (this.deadline === undefined) {
        this.deadline = this.clock.setTimeout(() => {
          this.deadline = undefined;
          this.stop();
          this.onDead();
        }, settings.pongTimeoutMs);
      }
      this.sendPing();
      this.schedule();
    }, settings.intervalMs);
  }
}
