import type { MessageBuilders } from './types';

/** OCPP 2.0.1 payloads. */
export const messages201: MessageBuilders = {
  bootNotificationRequest: (info) => ({
    reason: 'PowerUp',
    chargingStation: {
      vendorName: info.vendor,
      model: info.model,
      ...(info.serialNumber === undefined ? {} : { serialNumber: info.serialNumber }),
      ...(info.firmwareVersion === undefined ? {} : { firmwareVersion: info.firmwareVersion }),
    },
  }),
  bootNotificationResponse: (answer, currentTime) => ({
    status: answer.status,
    currentTime: currentTime.toISOString(),
    interval: answer.intervalS,
  }),
  readBootNotificationResponse: (payload) => ({
    status: payload['status'] as 'Accepted' | 'Pending' | 'Rejected',
    intervalS: payload['interval'] as number,
  }),
  heartbeatRequest: () => ({}),
  heartbeatResponse: (currentTime) => ({ currentTime: currentTime.toISOString() }),
  statusNotificationRequest: (info) => ({
    timestamp: info.timestamp.toISOString(),
    connectorStatus: info.status,
    evseId: info.evseId ?? 1,
    connectorId: info.connectorId,
  }),
  statusNotificationResponse: () => ({}),
  dataTransferRequest: (info) => ({
    vendorId: info.vendorId,
    ...(info.messageId === undefined ? {} : { messageId: info.messageId }),
    ...(info.data === undefined ? {} : { data: info.data }),
  }),
  dataTransferResponse: (status, data) => ({ status, ...(data === undefined ? {} : { data }) }),
  triggerMessageRequest: (message, connectorId) => ({
    requestedMessage: message,
    ...(connectorId === undefined ? {} : { evse: { id: 1, connectorId } }),
  }),
  readTriggerMessageRequest: (payload) => {
    const evse = payload['evse'] as { connectorId?: unknown } | undefined;
    return {
      message: payload['requestedMessage'] as string,
      ...(typeof evse?.connectorId === 'number' ? { connectorId: evse.connectorId } : {}),
    };
  },
  triggerMessageResponse: (status) => ({ status }),
};
