import { ChargePoint } from '../../src/chargepoint';
import type { SutAdapter, SutStartContext } from './adapter';

/** The in-process reference charge point, driven directly (any clock, internals reachable). */
export class ReferenceSut implements SutAdapter {
  readonly name = 'reference charge point (in process)';
  readonly kind = 'reference' as const;
  private cp: ChargePoint | undefined;
  private readonly log: string[] = [];

  get chargePoint(): ChargePoint | undefined {
    return this.cp;
  }

  async start(context: SutStartContext): Promise<void> {
    if (this.cp !== undefined) throw new Error('the reference charge point is already started');
    const cp = new ChargePoint({
      url: context.url,
      identity: context.identity,
      ocppVersion: context.version,
      policy: context.policy,
      clock: context.clock,
      ...(context.pings === undefined
        ? {}
        : { pingIntervalMs: context.pings.intervalMs, pongTimeoutMs: context.pings.pongTimeoutMs }),
      ...(context.basicAuth === undefined ? {} : { basicAuth: context.basicAuth }),
      ...(context.faults === undefined ? {} : { faults: context.faults }),
      ...(context.random === undefined ? {} : { random: context.random }),
    });
    const note = (line: string) => this.log.push(`${context.clock.now()} ${line}`);
    cp.on('connecting', (e) => note(`connecting (attempt ${e.attempt})`));
    cp.on('connected', (e) => note(`connected (${e.protocol})`));
    cp.on('closed', (e) => note(`closed ${e.reason} ${e.code} ${e.detail}`));
    cp.on('backoff', (e) => note(`back-off attempt ${e.attempt}: ${e.delayMs} ms`));
    cp.on('boot', (e) => note(`boot ${e.status} (interval ${e.intervalS} s)`));
    cp.on('online', () => note('online'));
    cp.on('offline', () => note('offline'));
    cp.on('warning', (error) => note(`warning: ${error.message}`));
    this.cp = cp;
    cp.start();
  }

  async stop(): Promise<void> {
    const cp = this.cp;
    if (cp === undefined) return;
    await cp.stop();
  }

  ioPending(): boolean {
    return this.cp?.ioPending() ?? false;
  }

  failure(): string | undefined {
    return undefined;
  }

  output(): string {
    return this.log.join('\n');
  }
}
