/**
 * TEST-ONLY rule breakers. Every one is off by default and none is reachable from the CLI's
 * normal flags; the conformance suite switches one on to prove that it catches the breach.
 */
export interface ChargePointFaults {
  /** The jittered delay may exceed maxBackoffMs (cap applied before jitter only). */
  noJitterCap?: boolean;
  /** After reconnect + online, re-sends the CALLs that were in flight/queued at the close (same id). */
  resendInFlight?: boolean;
  /** Goes online immediately on Boot Accepted. */
  skipResumeDelay?: boolean;
  /** Never sends BootNotification on a reconnect, even with rebootOnReconnect true (goes online after the resume delay). */
  noReboot?: boolean;
  /** Resets the attempt counter on socket open instead of on Boot Accepted. */
  resetAttemptsOnOpen?: boolean;
  /** Sends a Heartbeat right after BootNotification, before the answer. */
  sendBeforeBootAccepted?: boolean;
  /** Opens a second socket to the same URL on every connect attempt (and keeps it open). */
  twoSockets?: boolean;
  /** Writes queued CALLs without waiting for the previous answer. */
  pipelineCalls?: boolean;
  /** Reconnects after 0 ms. */
  noBackoff?: boolean;
}

/** Every fault's name (for the CLI's test-only environment variable). */
export const FAULT_NAMES: readonly (keyof ChargePointFaults)[] = [
  'noJitterCap',
  'resendInFlight',
  'skipResumeDelay',
  'noReboot',
  'resetAttemptsOnOpen',
  'sendBeforeBootAccepted',
  'twoSockets',
  'pipelineCalls',
  'noBackoff',
];
