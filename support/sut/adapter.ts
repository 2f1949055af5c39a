import type { ChargePoint, ChargePointFaults } from '../../src/chargepoint';
import type { ReconnectPolicy } from '../../src/chargepoint/policy';
import type { Clock } from '../../src/clock';
import type { OcppVersion } from '../../src/ocpp/version';

/** What a scenario hands a charge point under test when it starts it. */
export interface SutStartContext {
  readonly url: string;
  readonly identity: string;
  readonly version: OcppVersion;
  readonly policy: ReconnectPolicy;
  readonly clock: Clock;
  /** The charge point pings the CSMS (SPEC §6), when the scenario asks for it. */
  readonly pings?: { readonly intervalMs: number; readonly pongTimeoutMs: number };
  readonly basicAuth?: { readonly username: string; readonly password: string };
  /** Random source for the reference charge point's jitter (seeded in tests). */
  readonly random?: () => number;
  /** Test-only rule breakers of the reference charge point (mutation tests). */
  readonly faults?: ChargePointFaults;
}

/** A requirement of a scenario that a SUT may not be able to meet: the scenario is then NOT APPLICABLE. */
export interface Applicability {
  readonly applicable: boolean;
  readonly reason?: string;
}

/**
 * One charge point under test behind one interface, the model of open-ocpp-tck's drivers: the
 * in-process reference charge point, or a third-party one started as a process.
 */
export interface SutAdapter {
  readonly name: string;
  /** `reference`: in process, any clock; `external`: a process on the system clock. */
  readonly kind: 'reference' | 'external';
  start(context: SutStartContext): Promise<void>;
  /** Stops the charge point; resolves when it is gone. Safe to call twice. */
  stop(): Promise<void>;
  /** True while the SUT has real I/O under way that the virtual clock must wait for. */
  ioPending(): boolean;
  /** The reference charge point itself, for `@reference-only` steps; undefined for an external SUT. */
  readonly chargePoint: ChargePoint | undefined;
  /** Output to attach to the report (an external process's stdout/stderr, the reference CP's event log). */
  output(): string;
  /** Why the charge point can no longer take part (e.g. its process exited), or undefined. */
  failure(): string | undefined;
}
