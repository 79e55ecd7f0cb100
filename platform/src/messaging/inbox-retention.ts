import type { Sequelize } from 'sequelize';
import { inTransaction, READ_COMMITTED } from '../db/database';
import { deleteInChunks } from '../chunks';
import { Statements } from '../db/statements';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { HORIZON_SPEED_LIMIT, INBOX_HORIZONS_TABLE, INBOX_TABLE } from './inbox';

export interface InboxRetentionOptions {
  /** How long after an event occurred its inbox row is kept. */
  retentionMs: number;
  /** How often a replica prunes. */
  everyMs: number;
  /** Rows deleted per statement, so a large backlog never becomes one long-locking delete. */
  chunk?: number;
}

const MAX_CHUNKS_PER_RUN = 20;

/**
 * Prunes a consumer's inbox. First the horizon advances (committed on its own), then the rows of
 * events that occurred before it are deleted, in chunks. Safe because the consumer refuses any
 * event from before the horizon (Inbox), so a pruned row is never needed again; how long rows are
 * kept only decides how rarely that refusal happens (see docs: "Retention").
 *
 * The horizon never goes back, and moves at most HORIZON_SPEED_LIMIT times as fast as the clock,
 * and only while some replica runs: a backlog that built up while every replica was down is still
 * checked against the inbox after they come back, and consumers can trust a horizon read a while ago.
 */
export class InboxRetention {
  private readonly statements: Statements;
  private readonly chunk: number;
  private readonly createHorizonSql: string;
  private readonly pruned: (labels: Record<string, string>, by?: number) => void;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly consumer: string,
    private readonly options: InboxRetentionOptions,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.statements = new Statements(sequelize);
    const postgres = sequelize.getDialect() === 'postgres';
    this.chunk = Math.max(1, Math.trunc(options.chunk ?? 10_000));
    this.createHorizonSql = `INSERT INTO ${INBOX_HORIZONS_TABLE} (consumer, horizon, advanced_at) VALUES (?, ?, ?)
      ${postgres ? 'ON CONFLICT (consumer) DO NOTHING' : 'ON DUPLICATE KEY UPDATE consumer = consumer'}`;
    this.pruned = metrics.counter('funshop_inbox_pruned_total', 'Inbox rows deleted after the horizon passed them', ['consumer']);
    // Over every consumer of this database, so a service with several registers one gauge.
    metrics.gauge(
      'funshop_inbox_horizon_age_seconds',
      'How long ago the inbox horizon is, per consumer (events older than it are refused)',
      async () => {
        const rows = await this.statements.rows<{ consumer: string; horizon: Date }>(`SELECT consumer, horizon FROM ${INBOX_HORIZONS_TABLE}`, []);
        return rows.map((row) => ({ labels: { consumer: row.consumer }, value: (Date.now() - new Date(row.horizon).getTime()) / 1000 }));
      },
      ['consumer'],
    );
  }

  /** One run: advances the horizon if due, then deletes what is behind it; returns the rows deleted. */
  async prune(): Promise<number> {
    const horizon = await this.advanceHorizon();
    const deleted = await deleteInChunks(
      // READ COMMITTED: a range delete without gap locks, so it never holds up the consumers' inserts.
      () =>
        inTransaction(
          this.sequelize,
          undefined,
          (transaction) =>
            this.statements.deleteChunk(
              INBOX_TABLE,
              ['consumer', 'event_id'],
              'consumer = ? AND occurred_at < ?',
              [this.consumer, horizon],
              this.chunk,
              transaction,
            ),
          READ_COMMITTED,
        ),
      this.chunk,
      MAX_CHUNKS_PER_RUN,
    );
    if (deleted > 0) {
      this.pruned({ consumer: this.consumer }, deleted);
      this.logger.debug({ consumer: this.consumer, deleted, horizon }, 'inbox pruned');
    }
    return deleted;
  }

  private advanceHorizon(): Promise<Date> {
    return inTransaction(this.sequelize, undefined, async (transaction) => {
      const now = Date.now();
      const target = now - this.options.retentionMs;
      const [row] = await this.statements.rows<{ horizon: Date; advanced_at: Date }>(
        `SELECT horizon, advanced_at FROM ${INBOX_HORIZONS_TABLE} WHERE consumer = ? FOR UPDATE`,
        [this.consumer],
        transaction,
      );
      if (!row) {
        // The first horizon may start anywhere: no consumer trusted an earlier one (Inbox reads it
        // while there is none), and nothing was pruned before it.
        await this.statements.execute(this.createHorizonSql, [this.consumer, new Date(target), new Date(now)], transaction);
        return new Date(target);
      }
      const horizonMs = new Date(row.horizon).getTime();
      const sinceLastMs = now - new Date(row.advanced_at).getTime();
      // Another replica advanced it a moment ago; two runs close together would not move it faster anyway.
      if (sinceLastMs < this.options.everyMs / 2) return new Date(horizonMs);
      const next = Math.min(target, horizonMs + HORIZON_SPEED_LIMIT * Math.min(sinceLastMs, this.options.everyMs));
      if (next <= horizonMs) return new Date(horizonMs);
      await this.statements.execute(
        `UPDATE ${INBOX_HORIZONS_TABLE} SET horizon = ?, advanced_at = ? WHERE consumer = ?`,
        [new Date(next), new Date(now), this.consumer],
        transaction,
      );
      return new Date(next);
    });
  }
}
