import type { RegistrationStatus } from '../ocpp/messages';

/**
 * What the CSMS knows about one identity across all its connections (not behaviour: that is
 * the script). The registration survives a reconnect, so a charge point that reconnects without
 * a new BootNotification (OCPP-J §5.3, `rebootOnReconnect: false`) is still accepted; a new
 * BootNotification answer replaces it.
 */
export class IdentityState {
  registration: RegistrationStatus | 'none' = 'none';
  /** CALLs the CSMS asked for with TriggerMessage and has not received yet, per action. */
  private readonly triggered = new Map<string, number>();
  /** Every CALL id the charge point used, on any connection: id → connection. */
  readonly callIds = new Map<string, number>();
  framesSent = 0;
  framesReceived = 0;
  /** The latest Pending/Rejected boot answer, for "boot retried too soon". */
  lastHoldingBoot: { connection: number; at: number; intervalS: number } | undefined;
  private transactionIds = 0;

  allowTriggered(action: string): void {
    this.triggered.set(action, (this.triggered.get(action) ?? 0) + 1);
  }

  revokeTriggered(action: string): void {
    const left = (this.triggered.get(action) ?? 0) - 1;
    if (left > 0) this.triggered.set(action, left);
    else this.triggered.delete(action);
  }

  /** Uses up one TriggerMessage allowance for the action; false when there is none. */
  consumeTriggered(action: string): boolean {
    if (!this.triggered.has(action)) return false;
    this.revokeTriggered(action);
    return true;
  }

  nextTransactionId(): number {
    this.transactionIds += 1;
    return this.transactionIds;
  }
}
