import { QueryTypes, type Sequelize } from 'sequelize';
import { inTransaction, READ_COMMITTED } from '../db/database';
import type { ConfirmChannel } from 'amqplib';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { deleteInChunks } from '../chunks';
import { Statements, inList } from '../db/statements';
import type { Broker } from './broker';
import { toPublishOptions, type EventEnvelope } from './envelope';
import { OUTBOX_TABLE } from './outbox';
import { EVENTS_EXCHANGE, declareExchanges } from './topology';
import { ROOT_CONTEXT, context, contextFromHeaders, inSpan, linkTo, untraced, type Context } from '../tracing/spans';

export interface RelayOptions {
  batchSize: number;
  /** After a pass that published something, wait this long before the next, to gather a batch. */
  lingerMs?: number;
  /** Fallback poll when no commit woke the relay (another replica's commits, a restart). */
  pollIntervalMs: number;
  /** How long sent rows are kept (for inspection) before they are deleted. */
  retentionMs: number;
  /** How often sent rows past their retention are deleted (default: every minute). */
  cleanupIntervalMs?: number;
  /** Test hook: runs after the broker confirmed a batch and before its rows are marked sent. */
  afterConfirm?: (eventIds: string[]) => Promise<void>;
}

/** Sent rows past their retention are deleted this many at a time, at most this many times a run. */
const CLEANUP_CHUNK = 10_000;
const CLEANUP_MAX_CHUNKS = 20;

interface OutboxRow {
  id: number;
  event_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  sequence: number;
  occurred_at: Date;
  correlation_id: string;
  causation_id: string;
  content_type: string;
  payload: Buffer;
  trace_context: string | null;
}

/**
 * Claims a batch of unsent events, oldest first. `SKIP LOCKED` lets relays of several replicas
 * work side by side without waiting on, or taking, each other's rows; the NOT EXISTS takes only
 * an aggregate's oldest unsent event, so a later event of the same aggregate is never published
 * by one relay while an earlier one is still in flight at another. (Written as SQL on purpose:
 * sequelize drops `skipLocked` for MySQL dialects.) The batch size is part of the text, so the claim
 * is one prepared statement.
 */
export function claimSql(batchSize: number): string {
  return `
SELECT o.id, o.event_id, o.event_type, o.aggregate_type, o.aggregate_id, o.sequence, o.occurred_at,
       o.correlation_id, o.causation_id, o.content_type, o.payload, o.trace_context
  FROM ${OUTBOX_TABLE} o
 WHERE o.sent_at IS NULL
   AND NOT EXISTS (SELECT 1 FROM ${OUTBOX_TABLE} earlier
                    WHERE earlier.aggregate_type = o.aggregate_type AND earlier.aggregate_id = o.aggregate_id
                      AND earlier.sent_at IS NULL AND earlier.id < o.id)
 ORDER BY o.id
 LIMIT ${Math.max(1, Math.trunc(batchSize))}
 FOR UPDATE SKIP LOCKED`;
}

/**
 * Publishes the outbox through a confirm channel and marks rows sent only after the broker
 * confirmed them, inside the transaction that holds their row locks. A crash anywhere before the
 * commit leaves the rows unsent, so they are published again: at-least-once, and the consumers'
 * inbox makes that exactly-once in effect.
 */
export class OutboxRelay {
  private channel: ConfirmChannel | undefined;
  private running = false;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private loop: Promise<void> | undefined;
  private lastCleanup = 0;
  private readonly published: (labels: Record<string, string>, by?: number) => void;
  private readonly batchSize: (labels: Record<string, string>, events: number) => void;
  private readonly statements: Statements;
  private readonly claimSql: string;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly broker: Broker,
    private readonly options: RelayOptions,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.statements = new Statements(sequelize);
    this.claimSql = claimSql(options.batchSize);
    this.published = metrics.counter('funshop_events_published_total', 'Events published and confirmed by the broker', ['event_type']);
    this.batchSize = metrics.histogram(
      'funshop_outbox_relay_batch_events',
      'Events a relay pass published in one confirmed batch (passes that found none are not counted)',
      [],
      [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    );
    metrics.gauge('funshop_outbox_lag_seconds', 'Age of the oldest unsent outbox event (0 when none)', () => this.lagSeconds());
    metrics.gauge('funshop_outbox_unsent', 'Outbox events not yet confirmed by the broker', () => this.unsentCount());
  }

  async start(): Promise<void> {
    await this.broker.use('outbox relay', async (connection) => {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'relay channel error'));
      channel.on('close', () => {
        if (this.channel !== channel) return;
        this.channel = undefined;
        this.broker.recycle('outbox relay channel closed');
      });
      await declareExchanges(channel);
      this.channel = channel;
      this.wake();
    });
    this.running = true;
    this.loop = this.run();
  }

  /** Publish now rather than at the next poll (called after a transaction with events commits). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /**
   * One pass: publishes up to a batch and returns how many events it published.
   *
   * Traced only when it finds events (an empty poll is no one's business): a span of its own, linked
   * to the trace of each event it carries, holds the confirm wait and the marking as sent. Each
   * publish joins the trace stored with its event, so a consumer's handling continues the trace of
   * the request that caused it.
   */
  async publishBatch(): Promise<number> {
    const channel = this.channel;
    if (!channel) return 0;
    return untraced(() =>
      inTransaction(
        this.sequelize,
        undefined,
        async (transaction) => {
          const rows = await this.statements.rows<OutboxRow>(this.claimSql, [], transaction);
          if (rows.length === 0) return 0;
          const traces = rows.map(storedTrace);
          const pass = {
            root: true,
            links: traces.flatMap((trace) => (trace ? linkTo(trace) : [])),
            attributes: { 'messaging.batch.message_count': rows.length },
          };
          await inSpan(
            'outbox relay',
            pass,
            async () => {
              rows.forEach((row, index) => {
                const event = toEnvelope(row);
                // An event written outside any trace (a background sweep's) is published in the pass's.
                context.with(traces[index] ?? context.active(), () =>
                  channel.publish(EVENTS_EXCHANGE, event.eventType, event.payload, toPublishOptions(event)),
                );
              });
              await channel.waitForConfirms();
              await this.options.afterConfirm?.(rows.map((row) => row.event_id));
              const ids = inList(rows.map((row) => row.id));
              await this.statements.execute(`UPDATE ${OUTBOX_TABLE} SET sent_at = ? WHERE id IN (${ids.sql})`, [new Date(), ...ids.params], transaction);
            },
            ROOT_CONTEXT,
          );
          for (const row of rows) this.published({ event_type: row.event_type });
          this.batchSize({}, rows.length);
          return rows.length;
        },
        READ_COMMITTED,
      ),
    );
  }

  private async run(): Promise<void> {
    while (this.running) {
      let published = 0;
      try {
        this.woken = false;
        published = await this.publishBatch();
        await this.cleanUp();
      } catch (error) {
        this.logger.warn({ err: (error as Error).message }, 'outbox relay pass failed; events stay in the outbox');
      }
      // A full batch means more may be waiting: go again at once. After a partial one, let the
      // next commits gather for a moment (commits do not cut that short: gathering them is its
      // point). Then go again only if a commit woke the relay meanwhile: an empty pass costs a
      // transaction for nothing, which at a low rate is one per event. Otherwise sleep until
      // woken or polled.
      if (published === this.options.batchSize) continue;
      if (published > 0 && this.options.lingerMs) await new Promise((resolve) => setTimeout(resolve, this.options.lingerMs));
      if (!this.woken) await this.sleep(this.options.pollIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    }).then(() => {
      this.wakeUp = undefined;
    });
  }

  private async cleanUp(): Promise<void> {
    if (Date.now() - this.lastCleanup < (this.options.cleanupIntervalMs ?? 60_000)) return;
    this.lastCleanup = Date.now();
    const before = new Date(Date.now() - this.options.retentionMs);
    await deleteInChunks(() => this.statements.deleteChunk(OUTBOX_TABLE, ['id'], 'sent_at < ?', [before], CLEANUP_CHUNK), CLEANUP_CHUNK, CLEANUP_MAX_CHUNKS);
  }

  private async lagSeconds(): Promise<number> {
    const [row] = await this.sequelize.query<{ oldest: Date | null }>(`SELECT MIN(occurred_at) AS oldest FROM ${OUTBOX_TABLE} WHERE sent_at IS NULL`, {
      type: QueryTypes.SELECT,
    });
    return row?.oldest ? Math.max(0, (Date.now() - new Date(row.oldest).getTime()) / 1000) : 0;
  }

  private async unsentCount(): Promise<number> {
    const [row] = await this.sequelize.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${OUTBOX_TABLE} WHERE sent_at IS NULL`, {
      type: QueryTypes.SELECT,
    });
    return Number(row?.n ?? 0);
  }
}

/** The trace context the outbox stored with the event (Outbox.append), if it was written in one. */
function storedTrace(row: OutboxRow): Context | undefined {
  return row.trace_context ? contextFromHeaders(JSON.parse(row.trace_context) as Record<string, string>) : undefined;
}

function toEnvelope(row: OutboxRow): EventEnvelope {
  return {
    eventId: row.event_id,
    eventType: row.event_type,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    sequence: row.sequence,
    occurredAt: new Date(row.occurred_at),
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    contentType: row.content_type,
    payload: row.payload,
  };
}
