/** The call mix every bench script uses: Heartbeat and DataTransfer with a 200-byte and a 20-kB `data`. */
import type { Payload } from '../../src/ocpp';

export interface MixEntry {
  readonly name: string;
  readonly action: string;
  readonly payload: Payload;
}

export const VENDOR_ID = 'OpenReconnect';

function dataTransfer(bytes: number): Payload {
  // Printable ASCII, so its JSON form is exactly `bytes` characters plus quotes.
  let data = '';
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  for (let i = 0; i < bytes; i++) data += alphabet[(i * 7) % alphabet.length];
  return { vendorId: VENDOR_ID, messageId: 'bench', data };
}

/** Heartbeat, DataTransfer 200 B, DataTransfer 20 kB (the size of the `data` field). */
export const CALL_MIX: readonly MixEntry[] = [
  { name: 'Heartbeat', action: 'Heartbeat', payload: {} },
  { name: 'DataTransfer 200 B', action: 'DataTransfer', payload: dataTransfer(200) },
  { name: 'DataTransfer 20 kB', action: 'DataTransfer', payload: dataTransfer(20_000) },
];
