import type { OcppVersion } from '../version';
import type { MessageBuilders } from './types';
import { messages16 } from './v16';
import { messages201 } from './v201';

export * from './types';

/** The message builders of one OCPP version. */
export function messagesFor(version: OcppVersion): MessageBuilders {
  return version === '1.6' ? messages16 : messages201;
}
