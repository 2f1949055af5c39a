/**
 * Findings: what a charge point did that breaks OCPP-J or the schemas. Each one is recorded by
 * the test CSMS with its evidence and emitted; the suite fails a scenario on any it did not expect.
 * Correct charge point behaviour (closing a connection, answering a CSMS CALL with a CALLERROR)
 * is never a finding.
 */
export type FindingKind =
  | 'schema-violation'
  | 'malformed-frame'
  | 'call-before-boot-accepted'
  | 'concurrent-call'
  | 'message-id-reused'
  | 'concurrent-connection'
  | 'unknown-call-id'
  | 'boot-retry-too-soon'
  | 'binary-frame'
  | 'message-too-big'
  | 'unknown-message-type'
  | 'invalid-response'
  /** A CALL whose action the negotiated version does not define (answered NotImplemented). */
  | 'unknown-action';

export interface Finding {
  readonly kind: FindingKind;
  readonly identity: string;
  /** 1-based index of the identity's connection (its upgrade request) the finding happened on. */
  readonly connection: number;
  /** Clock time of the finding. */
  readonly at: number;
  readonly message: string;
  readonly evidence: Record<string, unknown>;
}

/** A finding before the recorder stamps it with identity, connection and time. */
export interface FindingDraft {
  readonly kind: FindingKind;
  readonly message: string;
  readonly evidence: Record<string, unknown>;
}
