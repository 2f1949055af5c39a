import type { RecordedEvent } from '../../src/csms';
import { CALL } from '../../src/ocpp/frames';

/** A measured instant with the window it had to fall in, drawn as a shaded band and a marker. */
export interface TimelineCheck {
  readonly label: string;
  /** The instant the window is measured from (e.g. the close). */
  readonly from: number;
  readonly window: { readonly min: number; readonly max: number };
  /** The measured instant, if one was seen. */
  readonly measured?: number;
  readonly passed: boolean;
}

const WIDTH = 1000;
const LEFT = 110;
const RIGHT = 20;
const LANE = 34;
const LANES = ['connection', 'boot', 'heartbeat', 'other CALLs', 'checks'] as const;

const COLORS = {
  connection: '#4a90d9',
  refused: '#d0021b',
  boot: '#7b61ff',
  heartbeat: '#2e9d57',
  other: '#888888',
  windowOk: 'rgba(46,157,87,0.18)',
  windowBad: 'rgba(208,2,27,0.18)',
  markerOk: '#2e9d57',
  markerBad: '#d0021b',
};

/**
 * Renders a scenario's timeline as SVG: connections as bars (open → close), refused upgrades as
 * red ticks, BootNotifications, Heartbeats and other CALLs as ticks, and every timing check as a
 * shaded band (the allowed window) with the measured instant marked.
 */
export function renderTimeline(
  events: readonly RecordedEvent[],
  checks: readonly TimelineCheck[],
  title: string,
): string {
  const times = [
    ...events.map((e) => e.at),
    ...checks.flatMap((c) => [
      c.from,
      c.from + c.window.max,
      ...(c.measured === undefined ? [] : [c.measured]),
    ]),
  ];
  const start = times.length ? Math.min(...times) : 0;
  const end = times.length ? Math.max(...times) : 1;
  const span = Math.max(1, end - start);
  const x = (t: number) => LEFT + ((t - start) / span) * (WIDTH - LEFT - RIGHT);
  const laneY = (lane: (typeof LANES)[number]) => 30 + LANES.indexOf(lane) * LANE;
  const height = 30 + LANES.length * LANE + 30;
  const parts: string[] = [];

  parts.push(`<text x="8" y="18" font-size="13" font-weight="bold">${escapeXml(title)}</text>`);
  for (const lane of LANES) {
    parts.push(`<text x="8" y="${laneY(lane) + 16}" font-size="11">${lane}</text>`);
    parts.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${laneY(lane) + LANE - 4}" y2="${laneY(lane) + LANE - 4}" stroke="#eee"/>`,
    );
  }

  const opens = new Map<number, number>();
  for (const e of events) {
    if (e.kind === 'open') opens.set(e.connection, e.at);
    if (e.kind === 'close') {
      const from = opens.get(e.connection) ?? e.at;
      opens.delete(e.connection);
      parts.push(
        bar(
          x(from),
          x(e.at),
          laneY('connection'),
          COLORS.connection,
          `#${e.connection} ${e.code} by ${e.by}`,
        ),
      );
    }
    if (e.kind === 'handshake' && e.outcome !== 'accepted') {
      parts.push(tick(x(e.at), laneY('connection'), COLORS.refused, `refused ${e.status ?? e.outcome}`));
    }
    if (e.kind === 'frame' && e.direction === 'in' && e.frame?.type === CALL) {
      const lane =
        e.frame.action === 'BootNotification'
          ? 'boot'
          : e.frame.action === 'Heartbeat'
            ? 'heartbeat'
            : 'other CALLs';
      const color = lane === 'boot' ? COLORS.boot : lane === 'heartbeat' ? COLORS.heartbeat : COLORS.other;
      parts.push(tick(x(e.at), laneY(lane), color, `${e.frame.action} @ ${e.at - start} ms`));
    }
  }
  for (const [connection, from] of opens) {
    parts.push(bar(x(from), x(end), laneY('connection'), COLORS.connection, `#${connection} open`));
  }

  const y = laneY('checks');
  for (const check of checks) {
    const x1 = x(check.from + check.window.min);
    const x2 = Math.max(x1 + 2, x(check.from + check.window.max));
    parts.push(
      `<rect x="${x1.toFixed(1)}" y="${y + 2}" width="${(x2 - x1).toFixed(1)}" height="${LANE - 10}" fill="${check.passed ? COLORS.windowOk : COLORS.windowBad}"><title>${escapeXml(check.label)}</title></rect>`,
    );
    if (check.measured !== undefined) {
      const mx = x(check.measured);
      const color = check.passed ? COLORS.markerOk : COLORS.markerBad;
      parts.push(
        `<path d="M${mx.toFixed(1)} ${y + 2} l5 ${LANE - 10} l-10 0 z" fill="${color}"><title>${escapeXml(check.label)}</title></path>`,
      );
    }
  }

  const axisY = 30 + LANES.length * LANE + 6;
  parts.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${axisY}" y2="${axisY}" stroke="#333"/>`);
  for (let i = 0; i <= 5; i++) {
    const t = start + (span * i) / 5;
    parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${axisY}" y2="${axisY + 4}" stroke="#333"/>`);
    parts.push(
      `<text x="${x(t)}" y="${axisY + 16}" font-size="10" text-anchor="middle">${Math.round(t - start)} ms</text>`,
    );
  }

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
${parts.join('\n')}
</svg>
`;
}

function bar(x1: number, x2: number, y: number, color: string, label: string): string {
  return `<rect x="${x1.toFixed(1)}" y="${y + 6}" width="${Math.max(2, x2 - x1).toFixed(1)}" height="${LANE - 16}" rx="3" fill="${color}"><title>${escapeXml(label)}</title></rect>`;
}

function tick(x: number, y: number, color: string, label: string): string {
  return `<rect x="${(x - 1.5).toFixed(1)}" y="${y + 4}" width="3" height="${LANE - 12}" fill="${color}"><title>${escapeXml(label)}</title></rect>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
