/**
 * CALLs from the CSMS (SPEC §5): TriggerMessage and DataTransfer are handled, an action the
 * version does not define is NotImplemented, one it defines but this charge point does not
 * handle is NotSupported, an invalid payload gets the version's violation code.
 *
 * Pure: it returns the answer frame and, for an accepted TriggerMessage, the message to send
 * after the answer.
 */
import {
  type Call,
  type CallError,
  type CallResult,
  callError,
  callResult,
  messagesFor,
  type OcppValidator,
  type OcppVersion,
  type TriggerStatus,
} from '../ocpp';

export type TriggeredMessage = 'BootNotification' | 'Heartbeat' | 'StatusNotification';

export interface InboundContext {
  readonly version: OcppVersion;
  readonly validator: OcppValidator;
  /** The charge point's own vendor id (DataTransfer for it is Accepted). */
  readonly vendorId: string;
  readonly online: boolean;
  /** Whether the boot was Accepted on this connection. */
  readonly bootAccepted: boolean;
}

export interface InboundAnswer {
  readonly reply: CallResult | CallError;
  /** A message to send once the reply is written (an accepted TriggerMessage). */
  readonly followUp?: { readonly message: TriggeredMessage; readonly connectorId?: number };
}

export function answerCall(frame: Call, context: InboundContext): InboundAnswer {
  const { version, validator } = context;
  const failure = validator.validateRequest(version, frame.action, frame.payload);
  if (failure?.kind === 'unknown-action') {
    return { reply: callError(frame.id, 'NotImplemented', `unknown action ${frame.action}`) };
  }
  if (failure) {
    const first = failure.errors[0];
    const description = first ? `${first.path || '(payload)'} ${first.message}` : 'invalid payload';
    return { reply: callError(frame.id, failure.code, description.slice(0, 255)) };
  }
  switch (frame.action) {
    case 'TriggerMessage':
      return answerTrigger(frame, context);
    case 'DataTransfer': {
      const vendorId = frame.payload['vendorId'];
      const status = vendorId === context.vendorId ? 'Accepted' : 'UnknownVendorId';
      return { reply: callResult(frame.id, messagesFor(version).dataTransferResponse(status)) };
    }
    default:
      return {
        reply: callError(frame.id, 'NotSupported', `${frame.action} is not supported by this charge point`),
      };
  }
}

function answerTrigger(frame: Call, context: InboundContext): InboundAnswer {
  const builders = messagesFor(context.version);
  const request = builders.readTriggerMessageRequest(frame.payload);
  const reply = (status: TriggerStatus) => callResult(frame.id, builders.triggerMessageResponse(status));
  const connector = request.connectorId === undefined ? {} : { connectorId: request.connectorId };
  switch (request.message) {
    case 'BootNotification':
      // 2.0.1 F06.FR.17: no BootNotification on request once the boot was Accepted.
      if (context.version === '2.0.1' && context.bootAccepted) return { reply: reply('Rejected') };
      return { reply: reply('Accepted'), followUp: { message: 'BootNotification' } };
    case 'Heartbeat':
    case 'StatusNotification':
      if (!context.online) return { reply: reply('Rejected') };
      return { reply: reply('Accepted'), followUp: { message: request.message, ...connector } };
    default:
      return { reply: reply('NotImplemented') };
  }
}
