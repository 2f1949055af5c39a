/**
 * OCPP-J message ids (SPEC §4): unique for the life of the process, never reused across
 * connections or retries, at most 36 characters.
 *
 * Each source draws its own 64-bit random prefix from the OS (not from the injected, possibly
 * seeded, random source: two charge points seeded alike must still not collide) and counts
 * upwards. No module-level state: two sources in one process are independent and, thanks to
 * the prefix, do not collide.
 */
import { randomBytes } from 'node:crypto';
import { MAX_MESSAGE_ID_LENGTH } from '../ocpp';

export class MessageIdSource {
  private readonly prefix: string;
  private counter = 0;

  constructor(prefix: string = randomBytes(8).toString('hex')) {
    this.prefix = prefix;
  }

  next(): string {
    this.counter++;
    const id = `${this.prefix}-${this.counter.toString(36)}`;
    if (id.length > MAX_MESSAGE_ID_LENGTH) throw new RangeError(`message id ${id} is too long`);
    return id;
  }
}
