import type { RecordedEvent } from './events';

/** One human-readable line per recorded event; findings stand out. */
export function formatEvent(event: RecordedEvent, color: boolean): string {
  const time = new Date(event.at).toISOString().slice(11, 23);
  const who = `${event.identity}#${event.connection}`;
  const line = (text: string) => `${time} ${who} ${text}`;
  switch (event.kind) {
    case 'upgrade':
      return line(`upgrade request, offers ${event.protocols.join(', ') || '(no subprotocol)'}`);
    case 'handshake':
      return line(
        event.outcome === 'refused'
          ? `upgrade refused with HTTP ${event.status}`
          : event.outcome === 'no-subprotocol'
            ? 'handshake without a common subprotocol: closing'
            : `handshake accepted (${event.protocol})`,
      );
    case 'open':
      return line(`open, OCPP ${event.version}`);
    case 'close':
      return line(
        `closed by ${event.by === 'csms' ? 'the CSMS' : 'the charge point'}: ${event.code} ${event.reason}`.trim(),
      );
    case 'frame':
      return line(
        `${event.direction === 'in' ? '<-' : '->'} ${event.text}${event.deliberateInvalid ? '  (deliberately invalid)' : ''}`,
      );
    case 'ping':
      return line('ping');
    case 'pong':
      return line('pong');
    case 'finding': {
      const text = `FINDING ${event.finding.kind}: ${event.finding.message}`;
      return line(color ? `\u001b[1;31m${text}\u001b[0m` : `!!! ${text}`);
    }
  }
}
