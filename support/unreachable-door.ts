import { createServer, type Server, type Socket } from 'node:net';
import type { Clock } from '../src/clock';

/**
 * Stands in for an unreachable CSMS at a known address: it accepts each TCP connection and
 * resets it at once, so every connection attempt fails at the transport level (as a refused or
 * unreachable server would) while the suite can still see when each attempt was made.
 */
export class UnreachableDoor {
  private readonly server: Server;
  private readonly attempts: number[] = [];
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;

  constructor(private readonly clock: Clock) {
    this.server = createServer((socket) => {
      this.attempts.push(this.clock.now());
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      socket.resetAndDestroy();
    });
  }

  get port(): number {
    return this.boundPort;
  }

  async open(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    this.boundPort = typeof address === 'object' && address !== null ? address.port : port;
  }

  /** Delays between consecutive attempts: attempt n+1 came `delay` ms after attempt n failed. */
  intervals(): Array<{ from: number; delay: number }> {
    const result: Array<{ from: number; delay: number }> = [];
    for (let i = 1; i < this.attempts.length; i++) {
      const from = this.attempts[i - 1] as number;
      result.push({ from, delay: (this.attempts[i] as number) - from });
    }
    return result;
  }

  attemptCount(): number {
    return this.attempts.length;
  }

  ioPending(): boolean {
    return this.sockets.size > 0;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
