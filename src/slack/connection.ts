/**
 * The state of the Socket Mode connection, for `/healthz` and `/metrics`: `connected` (Slack's hello) opens, a
 * closed socket or a reconnect attempt closes. Each connection after the first counts as a reconnect; a lost
 * connection is logged once.
 */
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** What of the Socket Mode client the watch listens to (its events). */
export interface SocketEvents {
  on(event: string, listener: () => void): unknown;
}

export class ConnectionWatch {
  state: ConnectionState = 'connecting';
  private everConnected = false;

  constructor(
    socket: SocketEvents | undefined,
    private readonly metrics?: Metrics,
    private readonly log?: Logger,
  ) {
    socket?.on('connected', () => this.up());
    for (const event of ['close', 'reconnecting', 'disconnecting', 'disconnected']) socket?.on(event, () => this.down(event));
    metrics?.socketConnected.set(0);
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  private up(): void {
    if (this.state === 'connected') return;
    if (this.everConnected) {
      this.metrics?.reconnects.inc();
      this.log?.info('Socket Mode connection open again');
    }
    this.everConnected = true;
    this.state = 'connected';
    this.metrics?.socketConnected.set(1);
  }

  private down(event: string): void {
    if (this.state !== 'connected') return;
    this.state = 'disconnected';
    this.metrics?.socketConnected.set(0);
    if (event !== 'disconnecting' && event !== 'disconnected') this.log?.warn({ event }, 'Socket Mode connection lost: reconnecting');
  }
}
