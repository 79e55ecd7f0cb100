import { DataTypes, type QueryInterface, type Sequelize, type Transaction } from 'sequelize';
import type { Migration } from '../db/migrations';
import type { SqlValue } from '../db/driver';
import { Statements, rowPlaceholders } from '../db/statements';
import type { EventEnvelope } from './envelope';

export const INBOX_TABLE = 'inbox_events';
export const INBOX_HORIZONS_TABLE = 'inbox_horizons';

/**
 * Set by `npm run dlq -- replay --accept-past-horizon`: an operator checked that an event older
 * than the inbox horizon was never applied, so the consumer applies it without the inbox's word.
 */
export const ACCEPT_PAST_HORIZON_HEADER = 'x-accept-past-horizon';

/**
 * How far apart the clocks of a service's replicas may be. Events and horizons are stamped by
 * different processes; every comparison between them keeps this much margin.
 */
export const CLOCK_SKEW_ALLOWANCE_MS = 3_600_000;

/**
 * The horizon moves at most this many times faster than the clock (InboxRetention enforces it),
 * which bounds how far it can have moved since a consumer last read it.
 */
export const HORIZON_SPEED_LIMIT = 2;

/**
 * An event older than the inbox horizon: its inbox row, if it ever had one, may have been pruned,
 * so whether it was applied cannot be told. It is dead-lettered, never applied on a guess.
 */
export class PastInboxHorizon extends Error {}

export interface InboxEntry {
  event: EventEnvelope;
  /** The delivery carried ACCEPT_PAST_HORIZON_HEADER. */
  acceptPastHorizon: boolean;
}

/**
 * A consumer's inbox: one row per event it applied, written in the transaction that applied it,
 * so a redelivered event collides with its row and is skipped.
 *
 * Rows are pruned (InboxRetention), so the inbox remembers only events that occurred after its
 * horizon. An event from before the horizon is refused with PastInboxHorizon instead of being
 * looked up. That check reads the horizon under a shared lock only when the event could be past
 * it: the horizon moves at most HORIZON_SPEED_LIMIT times as fast as the clock, so an event far
 * enough after the horizon last read is known to be inside without a read.
 */
export class Inbox {
  private readonly statements: Statements;
  private readonly ignoreDuplicate: string;
  private readonly readHorizonSql: string;
  /** The horizon as last read, and when (this process's clock); undefined while none was ever set. */
  private known: { horizonMs: number; readAtMs: number } | undefined;

  constructor(
    sequelize: Sequelize,
    private readonly consumer: string,
  ) {
    this.statements = new Statements(sequelize);
    const postgres = sequelize.getDialect() === 'postgres';
    this.ignoreDuplicate = postgres ? 'ON CONFLICT (consumer, event_id) DO NOTHING' : 'ON DUPLICATE KEY UPDATE event_id = event_id';
    // Shared: consumers do not wait for each other, and the pruner's update waits until every
    // transaction that read the old horizon has committed its inbox rows.
    this.readHorizonSql = `SELECT horizon FROM ${INBOX_HORIZONS_TABLE} WHERE consumer = ? ${postgres ? 'FOR SHARE' : 'LOCK IN SHARE MODE'}`;
  }

  /** Records the events as applied; how many were new (an event already there is left as it is). */
  async record(entries: readonly InboxEntry[], transaction: Transaction): Promise<number> {
    await this.refusePastHorizon(entries, transaction);
    const processedAt = new Date();
    const values = entries.flatMap(({ event }): SqlValue[] => [
      this.consumer,
      event.eventId,
      event.eventType,
      event.aggregateId,
      event.sequence,
      event.occurredAt,
      processedAt,
    ]);
    return this.statements.execute(
      `INSERT INTO ${INBOX_TABLE} (consumer, event_id, event_type, aggregate_id, sequence, occurred_at, processed_at)
       VALUES ${rowPlaceholders(entries.length, 7)} ${this.ignoreDuplicate}`,
      values,
      transaction,
    );
  }

  private async refusePastHorizon(entries: readonly InboxEntry[], transaction: Transaction): Promise<void> {
    const doubtful = entries.filter((entry) => !entry.acceptPastHorizon && !this.surelyInside(entry.event));
    if (doubtful.length === 0) return;
    const readAtMs = Date.now();
    const [row] = await this.statements.rows<{ horizon: Date }>(this.readHorizonSql, [this.consumer], transaction);
    if (!row) return; // never pruned: the inbox remembers everything
    const horizonMs = new Date(row.horizon).getTime();
    this.known = { horizonMs, readAtMs };
    const past = doubtful.find(({ event }) => event.occurredAt.getTime() < horizonMs);
    if (past) {
      throw new PastInboxHorizon(
        `event ${past.event.eventId} occurred at ${past.event.occurredAt.toISOString()}, before the inbox horizon ` +
          `${new Date(horizonMs).toISOString()}: whether it was applied is no longer known; check, then replay it with --accept-past-horizon`,
      );
    }
  }

  private surelyInside(event: EventEnvelope): boolean {
    if (!this.known) return false;
    const { horizonMs, readAtMs } = this.known;
    const latestHorizonMs = horizonMs + HORIZON_SPEED_LIMIT * (Date.now() - readAtMs + CLOCK_SKEW_ALLOWANCE_MS);
    return event.occurredAt.getTime() >= latestHorizonMs;
  }
}

/** The inbox and its horizon; every service that consumes lists these migrations (via messagingMigrations). */
export const inboxMigrations: Migration[] = [
  {
    name: 'platform-0002-create-inbox',
    async up(queryInterface: QueryInterface) {
      // One row per (consumer, event) applied: a redelivered event collides with it and is skipped.
      await queryInterface.createTable(INBOX_TABLE, {
        consumer: { type: DataTypes.STRING(100), primaryKey: true },
        event_id: { type: DataTypes.CHAR(36), primaryKey: true },
        event_type: { type: DataTypes.STRING(200), allowNull: false },
        aggregate_id: { type: DataTypes.STRING(64), allowNull: false },
        sequence: { type: DataTypes.INTEGER, allowNull: false },
        processed_at: { type: DataTypes.DATE(6), allowNull: false },
      });
      await queryInterface.addIndex(INBOX_TABLE, ['processed_at'], { name: 'inbox_by_age' });
    },
    async down(queryInterface: QueryInterface) {
      await queryInterface.dropTable(INBOX_TABLE);
    },
  },
  {
    name: 'platform-0003-inbox-horizon',
    async up(queryInterface: QueryInterface) {
      // Pruning goes by when an event occurred (the producer's clock, the same one the horizon
      // check reads): a row from before this column existed counts as occurring when it was
      // processed, which is later, so it is kept a little longer, never shorter.
      await queryInterface.addColumn(INBOX_TABLE, 'occurred_at', { type: DataTypes.DATE(6), allowNull: true });
      await queryInterface.sequelize.query(`UPDATE ${INBOX_TABLE} SET occurred_at = processed_at`);
      await queryInterface.changeColumn(INBOX_TABLE, 'occurred_at', { type: DataTypes.DATE(6), allowNull: false });
      await queryInterface.removeIndex(INBOX_TABLE, 'inbox_by_age');
      await queryInterface.addIndex(INBOX_TABLE, ['consumer', 'occurred_at'], { name: 'inbox_by_occurrence' });
      // Per consumer: events that occurred before `horizon` may have been pruned from its inbox.
      await queryInterface.createTable(INBOX_HORIZONS_TABLE, {
        consumer: { type: DataTypes.STRING(100), primaryKey: true },
        horizon: { type: DataTypes.DATE(6), allowNull: false },
        advanced_at: { type: DataTypes.DATE(6), allowNull: false },
      });
    },
    async down(queryInterface: QueryInterface) {
      await queryInterface.dropTable(INBOX_HORIZONS_TABLE);
      await queryInterface.removeIndex(INBOX_TABLE, 'inbox_by_occurrence');
      await queryInterface.addIndex(INBOX_TABLE, ['processed_at'], { name: 'inbox_by_age' });
      await queryInterface.removeColumn(INBOX_TABLE, 'occurred_at');
    },
  },
];
