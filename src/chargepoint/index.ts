/** The reference OCPP charge point (SPEC §1–6). */
export * from './backoff';
export { ChargePoint, type ChargePointEvents, type ChargePointMetrics } from './charge-point';
export * from './close-reasons';
export * from './connection-types';
export * from './faults';
export * from './message-ids';
export * from './options';
export * from './policy';
export { ReconnectController, type ReconnectSignals } from './reconnect-controller';
export { InboundFrameWarning, Session } from './session';
export * from './transport';
