import { connect, type ChannelModel } from 'amqplib';
import type { Logger } from '../logger';

/** Something that needs channels on a live connection: called after every (re)connect. */
export type OnConnected = (connection: ChannelModel) => Promise<void>;

/**
 * One AMQP connection per process that survives the broker going away: it reconnects with
 * capped exponential backoff, and after every reconnect the registered parts (topology, relay,
 * consumers) open their channels again. Connection and channel errors are always handled, so a
 * broker restart never crashes the service; while disconnected, `connected` is false and
 * publishers keep their events in the outbox.
 */
export class Broker {
  private connection: ChannelModel | undefined;
  private readonly parts: { name: string; onConnected: OnConnected }[] = [];
  private closing = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly statusListeners: ((connected: boolean) => void)[] = [];

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly backoff = { initialMs: 250, maxMs: 10_000 },
  ) {}

  get connected(): boolean {
    return this.connection !== undefined;
  }

  /** Registers a part; if already connected it sets up at once. */
  async use(name: string, onConnected: OnConnected): Promise<void> {
    this.parts.push({ name, onConnected });
    if (this.connection) await onConnected(this.connection);
  }

  onStatus(listener: (connected: boolean) => void): void {
    this.statusListeners.push(listener);
  }

  /** Connects in the background; resolves once the first connection is up or `waitMs` passes. */
  async start(waitMs = 10_000): Promise<void> {
    const first = new Promise<void>((resolve) => {
      this.onStatus((connected) => connected && resolve());
      setTimeout(resolve, waitMs).unref();
    });
    void this.connectLoop(this.backoff.initialMs);
    await first;
  }

  /**
   * A channel a part depends on closed under it (a channel error closes just that channel): drop
   * the whole connection, so every part sets itself up again on the next one.
   */
  recycle(reason: string): void {
    const connection = this.connection;
    if (!connection || this.closing) return;
    this.logger.warn({ reason }, 'recycling the broker connection');
    void connection.close().catch(() => this.lost(connection));
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close().catch(() => undefined);
  }

  private async connectLoop(delayMs: number): Promise<void> {
    if (this.closing) return;
    let connection: ChannelModel | undefined;
    try {
      // noDelay: amqplib leaves Nagle's algorithm on unless asked. A publish or ack written while
      // an earlier write is unacknowledged then waits for the broker's delayed ACK, about 40 ms:
      // that was most of an event's trip from the cart's outbox to the my page.
      connection = await connect(this.url, { noDelay: true, clientProperties: { connection_name: this.logger.bindings().service } });
      connection.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'broker connection error'));
      connection.on('close', () => this.lost(connection!));
      connection.on('blocked', (reason: string) => this.logger.warn({ reason }, 'broker blocked publishing'));
      for (const part of this.parts) await part.onConnected(connection);
      this.connection = connection;
      this.logger.info('broker connected');
      this.statusListeners.forEach((listener) => listener(true));
    } catch (error) {
      await connection?.close().catch(() => undefined);
      if (this.closing) return;
      this.logger.warn({ err: (error as Error).message, retryInMs: delayMs }, 'broker unreachable; retrying');
      this.reconnectTimer = setTimeout(() => void this.connectLoop(Math.min(delayMs * 2, this.backoff.maxMs)), delayMs);
    }
  }

  private lost(connection: ChannelModel): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    this.statusListeners.forEach((listener) => listener(false));
    if (this.closing) return;
    this.logger.warn('broker connection lost; reconnecting');
    this.reconnectTimer = setTimeout(() => void this.connectLoop(this.backoff.initialMs), this.backoff.initialMs);
  }
}
