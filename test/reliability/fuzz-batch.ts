import type WebSocket from 'ws';
import { until } from '../chargepoint/loopback';
import { type FuzzFrame, generateFrames, type Rng } from './fuzz-frames';

/** One end of a fuzzed connection: its socket and every text frame it received, in order. */
export interface FuzzPeer {
  readonly ws: WebSocket;
  readonly frames: string[];
}

/**
 * Sends `count` generated frames, then a sentinel CALL that the other end answers after all of
 * them (OCPP-J ends answer in order); returns the frames sent and the replies to them, sentinel
 * answer excluded.
 */
export async function fuzzBatch(
  peer: FuzzPeer,
  rng: Rng,
  count: number,
  idPrefix: string,
  sentinel: { readonly id: string; readonly action: string; readonly payload: Record<string, unknown> },
): Promise<{ frames: FuzzFrame[]; replies: string[] }> {
  const frames = generateFrames(rng, count, { idPrefix, hugeBytes: 100_000, binary: true });
  const from = peer.frames.length;
  for (const f of frames) {
    if (f.kind === 'text') peer.ws.send(f.text);
    else peer.ws.send(f.data, { binary: true });
  }
  peer.ws.send(JSON.stringify([2, sentinel.id, sentinel.action, sentinel.payload]));
  const answersSentinel = (t: string) =>
    t.startsWith(`[3,"${sentinel.id}"`) || t.startsWith(`[4,"${sentinel.id}"`);
  await until(() => peer.frames.slice(from).some(answersSentinel), `the answer to ${sentinel.id}`, 10_000);
  return { frames, replies: peer.frames.slice(from).filter((t) => !answersSentinel(t)) };
}
