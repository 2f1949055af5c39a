/** Messages between the fleet bench (parent, which hosts the test CSMS) and its charge point children. */
import type { ReconnectPolicy } from '../../src/chargepoint';

export interface WorkerConfig {
  /** ws://127.0.0.1:PORT/ocpp/ */
  readonly urlPrefix: string;
  readonly identities: readonly string[];
  readonly policy: Partial<ReconnectPolicy>;
  /** Charge points started per tick, and the tick (ms): paces the connect storm. */
  readonly startBatch: number;
  readonly startTickMs: number;
}

export type ToWorker =
  | { type: 'start'; config: WorkerConfig }
  /** From now on, remember every connect attempt and the time each charge point is online again. */
  | { type: 'mark' }
  | { type: 'report' }
  | { type: 'stop' };

export interface HerdRecord {
  /** Connect attempts after the mark: attempt number and Date.now(). */
  readonly attempts: Array<[attempt: number, at: number]>;
  /** Date.now() when the charge point saw its connection close after the mark. */
  readonly closedAt: number | undefined;
  /** Date.now() when online again after the mark (undefined: not yet). */
  readonly onlineAt: number | undefined;
}

export type FromWorker =
  | { type: 'ready' }
  /** The child has started recording (answer to 'mark'). */
  | { type: 'marked' }
  | {
      type: 'progress';
      started: number;
      online: number;
      lastOnlineAt: number;
      warnings: number;
      /** Charge points online again since the mark. */
      back: number;
    }
  | { type: 'report'; records: HerdRecord[]; rssBytes: number }
  | { type: 'stopped'; stopMs: number };
