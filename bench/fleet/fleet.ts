/**
 * A fleet of reference charge points in child processes against one test CSMS in this process
 * (validation and the recorder on, as always). Children, because one process cannot hold both
 * ends of 10 000 sockets under a 20 000 file-descriptor limit, and because the charge points and
 * the CSMS then use both cores. Every wait here is bounded in time.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import path from 'node:path';
import type { ReconnectPolicy } from '../../src/chargepoint';
import { type RecordedEvent, TestCsms } from '../../src/csms';
import type { FromWorker, HerdRecord, ToWorker } from './protocol';

export interface FleetOptions {
  readonly size: number;
  readonly policy: Partial<ReconnectPolicy>;
  /** Heartbeat interval the CSMS hands out in its BootNotification answer. */
  readonly heartbeatIntervalS: number;
  /** At most this many charge points per child process. */
  readonly perChild: number;
  readonly startBatch?: number;
  readonly startTickMs?: number;
}

interface Child {
  readonly process: ChildProcess;
  progress: { started: number; online: number; lastOnlineAt: number; warnings: number; back: number };
  exited: Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 30_000;

/** The soft file-descriptor limit this process's children get (from the shell, as Node has no getrlimit). */
export function fdLimit(): number {
  try {
    const out = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out);
  } catch {
    return 1024;
  }
}

export class Fleet {
  readonly csms: TestCsms;
  private readonly children: Child[] = [];
  /** Counters fed by the CSMS's events. */
  heartbeats = 0;
  upgrades: number[] = [];
  private recordUpgrades = false;

  constructor(private readonly options: FleetOptions) {
    this.csms = new TestCsms({ bootAnswer: { status: 'Accepted', intervalS: options.heartbeatIntervalS } });
    this.csms.on('event', (event: RecordedEvent) => {
      if (event.kind === 'upgrade') {
        if (this.recordUpgrades) this.upgrades.push(event.at);
      } else if (
        event.kind === 'frame' &&
        event.direction === 'in' &&
        event.frame?.type === 2 &&
        event.frame.action === 'Heartbeat'
      ) {
        this.heartbeats += 1;
      }
    });
  }

  get processes(): number {
    return this.children.length;
  }

  /** Listens, forks the children and waits until they are loaded (not timed as boot). */
  async prepare(): Promise<void> {
    await this.csms.listen({ host: '127.0.0.1', port: 0 });
    const count = Math.ceil(this.options.size / this.options.perChild);
    const worker = path.join(__dirname, 'cp-worker.ts');
    for (let i = 0; i < count; i++) {
      const child = fork(worker, [], {
        execArgv: ['--require', 'ts-node/register'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const entry: Child = {
        process: child,
        progress: { started: 0, online: 0, lastOnlineAt: 0, warnings: 0, back: 0 },
        exited,
      };
      child.on('message', (message: FromWorker) => {
        if (message.type === 'progress') entry.progress = message;
      });
      this.children.push(entry);
    }
    await Promise.all(this.children.map((c) => this.waitFor(c, 'ready', READY_TIMEOUT_MS)));
  }

  /** Starts every charge point (paced); returns Date.now() of the start. */
  start(): number {
    const startedAt = Date.now();
    const { size, perChild } = this.options;
    this.children.forEach((child, i) => {
      const identities: string[] = [];
      for (let k = i * perChild; k < Math.min(size, (i + 1) * perChild); k++) {
        identities.push(`CP${String(k).padStart(5, '0')}`);
      }
      this.send(child, {
        type: 'start',
        config: {
          urlPrefix: this.csms.url('X').slice(0, -1),
          identities,
          policy: this.options.policy,
          startBatch: this.options.startBatch ?? 100,
          startTickMs: this.options.startTickMs ?? 10,
        },
      });
    });
    return startedAt;
  }

  online(): number {
    return this.total('online');
  }

  lastOnlineAt(): number {
    return Math.max(...this.children.map((c) => c.progress.lastOnlineAt));
  }

  warnings(): number {
    return this.total('warnings');
  }

  /** Charge points online again since the mark. */
  back(): number {
    return this.total('back');
  }

  /** Resolves true when all are online, false after `timeoutMs`. */
  waitAllOnline(timeoutMs: number): Promise<boolean> {
    return this.waitAll(() => this.online(), timeoutMs);
  }

  /** Resolves true when all are back online since the mark, false after `timeoutMs`. */
  waitAllBack(timeoutMs: number): Promise<boolean> {
    return this.waitAll(() => this.back(), timeoutMs);
  }

  /** Children start recording connect attempts and online times, the CSMS its upgrade requests; resolves when every child has. */
  async mark(): Promise<void> {
    this.upgrades = [];
    this.recordUpgrades = true;
    await Promise.all(
      this.children.map((c) => {
        const answer = this.waitFor(c, 'marked', READY_TIMEOUT_MS);
        this.send(c, { type: 'mark' });
        return answer;
      }),
    );
  }

  /** The CSMS drops every connection at once (TCP destroyed, no close frame). */
  dropAll(): Promise<void> {
    const drops: Promise<void>[] = [];
    for (let k = 0; k < this.options.size; k++) {
      drops.push(this.csms.script(`CP${String(k).padStart(5, '0')}`).terminateNow());
    }
    return Promise.all(drops).then(() => undefined);
  }

  async report(): Promise<{ records: HerdRecord[]; childRss: number }> {
    const reports = await Promise.all(
      this.children.map((c) => {
        const answer = this.waitFor(c, 'report', READY_TIMEOUT_MS);
        this.send(c, { type: 'report' });
        return answer;
      }),
    );
    return {
      records: reports.flatMap((r) => (r.type === 'report' ? r.records : [])),
      childRss: reports.reduce((sum, r) => sum + (r.type === 'report' ? r.rssBytes : 0), 0),
    };
  }

  /** Stops every charge point (close 1000), waits for the children to exit, closes the CSMS. */
  async stop(): Promise<void> {
    for (const child of this.children) {
      if (child.process.connected) this.send(child, { type: 'stop' });
    }
    await Promise.all(
      this.children.map(async (c) => {
        const timer = setTimeout(() => c.process.kill('SIGKILL'), EXIT_TIMEOUT_MS);
        await c.exited;
        clearTimeout(timer);
      }),
    );
    await this.csms.close();
  }

  private total(key: 'online' | 'warnings' | 'back'): number {
    return this.children.reduce((sum, c) => sum + c.progress[key], 0);
  }

  /** Re-checks `count` on every progress report (every 100 ms per child) until it reaches the fleet size. */
  private waitAll(count: () => number, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (done: boolean) => {
        clearTimeout(timer);
        for (const c of this.children) c.process.off('message', check);
        resolve(done);
      };
      const check = () => {
        if (count() >= this.options.size) finish(true);
      };
      const timer = setTimeout(() => finish(count() >= this.options.size), timeoutMs);
      for (const c of this.children) c.process.on('message', check);
      check();
    });
  }

  private send(child: Child, message: ToWorker): void {
    child.process.send(message);
  }

  private waitFor(child: Child, type: FromWorker['type'], timeoutMs: number): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.process.off('message', onMessage);
        reject(new Error(`fleet child: no '${type}' within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (message: FromWorker) => {
        if (message.type !== type) return;
        clearTimeout(timer);
        child.process.off('message', onMessage);
        resolve(message);
      };
      child.process.on('message', onMessage);
    });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
