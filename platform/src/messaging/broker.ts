import { connect, type ChannelModel } from 'amqplib';
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
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
  private readonly closing = new AbortController();
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
    void this.connectLoop();
    await first;
  }

  /**
   * A channel a part depends on closed under it (a channel error closes just that channel): drop
   * the whole connection, so every part sets itself up again on the next one.
   */
  recycle(reason: string): void {
    const connection = this.connection;
    if (!connection || this.closing.signal.aborted) return;
    this.logger.warn({ reason }, 'recycling the broker connection');
    void connection.close().catch(() => this.lost(connection));
  }

  async close(): Promise<void> {
    this.closing.abort();
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close().catch(() => undefined);
  }

  /**
   * Connects, retrying with capped exponential backoff (cockatiel, decorrelated jitter) until a
   * connection is up with every part set up on it, or the broker is closed.
   */
  private async connectLoop(): Promise<void> {
    const untilConnected = retry(handleAll, {
      maxAttempts: Infinity,
      backoff: new ExponentialBackoff({ initialDelay: this.backoff.initialMs, maxDelay: this.backoff.maxMs }),
    }).dangerouslyUnref(); // a pending reconnect must not keep a stopping process alive
    untilConnected.onRetry(({ delay, ...outcome }) =>
      this.logger.warn(
        { err: 'error' in outcome ? (outcome.error as Error).message : undefined, retryInMs: Math.round(delay) },
        'broker unreachable; retrying',
      ),
    );
    await untilConnected.execute(() => this.connectOnce(), this.closing.signal).catch(() => undefined); // fails only once closed
  }

  private async connectOnce(): Promise<void> {
    if (this.closing.signal.aborted) throw new Error('the broker connection is closed');
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
    } catch (error) {
      await connection?.close().catch(() => undefined);
      throw error;
    }
    if (this.closing.signal.aborted) {
      await connection.close().catch(() => undefined);
      throw new Error('the broker connection is closed');
    }
    this.connection = connection;
    this.logger.info('broker connected');
    this.statusListeners.forEach((listener) => listener(true));
  }

  private lost(connection: ChannelModel): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    this.statusListeners.forEach((listener) => listener(false));
    if (this.closing.signal.aborted) return;
    this.logger.warn('broker connection lost; reconnecting');
    void this.connectLoop();
  }
}
