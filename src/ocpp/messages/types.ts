import type { Payload } from '../frames';

export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';
export type TriggerableMessage = 'BootNotification' | 'Heartbeat' | 'StatusNotification';
export type TriggerStatus = 'Accepted' | 'Rejected' | 'NotImplemented';
export type DataTransferStatus = 'Accepted' | 'Rejected' | 'UnknownMessageId' | 'UnknownVendorId';
/** Connector states both versions share. */
export type ConnectorStatus = 'Available' | 'Occupied' | 'Reserved' | 'Unavailable' | 'Faulted';

export interface BootInfo {
  readonly vendor: string;
  readonly model: string;
  readonly serialNumber?: string;
  readonly firmwareVersion?: string;
}

export interface StatusInfo {
  readonly connectorId: number;
  /** OCPP 2.0.1 only (defaults to 1). */
  readonly evseId?: number;
  readonly status: ConnectorStatus;
  readonly timestamp: Date;
}

export interface DataTransferInfo {
  readonly vendorId: string;
  readonly messageId?: string;
  /** A string in OCPP 1.6; any JSON in 2.0.1. */
  readonly data?: unknown;
}

export interface BootAnswer {
  readonly status: RegistrationStatus;
  readonly intervalS: number;
}

export interface TriggerRequest {
  readonly message: string;
  readonly connectorId?: number;
}

/** Builders (and readers) for the actions this project uses, with one implementation per OCPP version. */
export interface MessageBuilders {
  bootNotificationRequest(info: BootInfo): Payload;
  bootNotificationResponse(answer: BootAnswer, currentTime: Date): Payload;
  readBootNotificationResponse(payload: Payload): BootAnswer;
  heartbeatRequest(): Payload;
  heartbeatResponse(currentTime: Date): Payload;
  statusNotificationRequest(info: StatusInfo): Payload;
  statusNotificationResponse(): Payload;
  dataTransferRequest(info: DataTransferInfo): Payload;
  dataTransferResponse(status: DataTransferStatus, data?: unknown): Payload;
  triggerMessageRequest(message: TriggerableMessage, connectorId?: number): Payload;
  readTriggerMessageRequest(payload: Payload): TriggerRequest;
  triggerMessageResponse(status: TriggerStatus): Payload;
}
