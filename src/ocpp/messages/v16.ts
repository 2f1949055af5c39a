import type { MessageBuilders } from './types';

/** OCPP 1.6-J payloads. */
export const messages16: MessageBuilders = {
  bootNotificationRequest: (info) => ({
    chargePointVendor: info.vendor,
    chargePointModel: info.model,
    ...(info.serialNumber === undefined ? {} : { chargePointSerialNumber: info.serialNumber }),
    ...(info.firmwareVersion === undefined ? {} : { firmwareVersion: info.firmwareVersion }),
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
    connectorId: info.connectorId,
    errorCode: info.status === 'Faulted' ? 'OtherError' : 'NoError',
    // 1.6 has no "Occupied": a connector in use is "Charging" (the closest 1.6 state).
    status: info.status === 'Occupied' ? 'Charging' : info.status,
    timestamp: info.timestamp.toISOString(),
  }),
  statusNotificationResponse: () => ({}),
  dataTransferRequest: (info) => ({
    vendorId: info.vendorId,
    ...(info.messageId === undefined ? {} : { messageId: info.messageId }),
    ...(info.data === undefined
      ? {}
      : { data: typeof info.data === 'string' ? info.data : JSON.stringify(info.data) }),
  }),
  dataTransferResponse: (status, data) => ({
    status,
    ...(data === undefined ? {} : { data: typeof data === 'string' ? data : JSON.stringify(data) }),
  }),
  triggerMessageRequest: (message, connectorId) => ({
    requestedMessage: message,
    ...(connectorId === undefined ? {} : { connectorId }),
  }),
  readTriggerMessageRequest: (payload) => ({
    message: payload['requestedMessage'] as string,
    ...(typeof payload['connectorId'] === 'number' ? { connectorId: payload['connectorId'] } : {}),
  }),
  triggerMessageResponse: (status) => ({ status }),
};
