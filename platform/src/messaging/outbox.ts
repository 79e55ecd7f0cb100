import { randomUUID } from 'node:crypto';
import { DataTypes, type QueryInterface, type Sequelize, type Transaction } from 'sequelize';
import type { Migration } from '../db/migrations';
import { Statements, rowPlaceholders } from '../db/statements';
import { currentContext } from '../request-context';
import { PROTOBUF_CONTENT_TYPE } from './envelope';
import { inboxMigrations } from './inbox';

/** What a use case hands the outbox: the event and which aggregate state it belongs to. */
export interface NewEvent {
  eventType: string;
  aggregateType: string;
  aggregateId: string;
  /** The aggregate's version after the change: orders the aggregate's events. */
  sequence: number;
  payload: Uint8Array;
}

export const OUTBOX_TABLE = 'outbox_events';

/**
 * The transactional outbox: events are rows written in the same transaction as the aggregate
 * change that caused them, so an event exists if and only if its change committed. The relay
 * publishes them afterwards; `onCommitted` wakes it so delivery does not wait for a poll.
 */
export class Outbox {
  private readonly statements: Statements;

  constructor(
    sequelize: Sequelize,
    private readonly onCommitted: () => void = () => undefined,
  ) {
    this.statements = new Statements(sequelize);
  }

  async append(transaction: Transaction, events: readonly NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    const context = currentContext();
    const correlationId = context?.correlationId ?? randomUUID();
    const occurredAt = new Date();
    const causationId = context?.causationId ?? correlationId;
    await this.statements.execute(
      `INSERT INTO ${OUTBOX_TABLE} (event_id, event_type, aggregate_type, aggregate_id, sequence, occurred_at,
                                   correlation_id, causation_id, content_type, payload)
       VALUES ${rowPlaceholders(events.length, 10)}`,
      events.flatMap((event) => [
        randomUUID(),
        event.eventType,
        event.aggregateType,
        event.aggregateId,
        event.sequence,
        occurredAt,
        correlationId,
        causationId,
        PROTOBUF_CONTENT_TYPE,
        Buffer.from(event.payload),
      ]),
      transaction,
    );
    transaction.afterCommit(() => this.onCommitted());
  }
}

/** The outbox and inbox tables, in the order they shipped; every service that publishes or consumes lists these migrations. */
export const messagingMigrations: Migration[] = [
  {
    name: 'platform-0001-create-outbox',
    async up(queryInterface: QueryInterface) {
      await queryInterface.createTable(OUTBOX_TABLE, {
        // Insertion order: the relay publishes in this order.
        id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
        event_id: { type: DataTypes.CHAR(36), allowNull: false, unique: true },
        event_type: { type: DataTypes.STRING(200), allowNull: false },
        aggregate_type: { type: DataTypes.STRING(100), allowNull: false },
        aggregate_id: { type: DataTypes.STRING(64), allowNull: false },
        sequence: { type: DataTypes.INTEGER, allowNull: false },
        occurred_at: { type: DataTypes.DATE(6), allowNull: false },
        correlation_id: { type: DataTypes.STRING(128), allowNull: false },
        causation_id: { type: DataTypes.STRING(128), allowNull: false },
        content_type: { type: DataTypes.STRING(100), allowNull: false },
        payload: { type: queryInterface.sequelize.getDialect() === 'postgres' ? DataTypes.BLOB : DataTypes.BLOB('medium'), allowNull: false },
        sent_at: { type: DataTypes.DATE(6), allowNull: true },
      });
      await queryInterface.addIndex(OUTBOX_TABLE, ['aggregate_type', 'aggregate_id', 'sequence'], { unique: true, name: 'outbox_aggregate_sequence' });
      // The relay's scan (unsent, oldest first) and its per-aggregate "anything earlier unsent?" check.
      await queryInterface.addIndex(OUTBOX_TABLE, ['sent_at', 'id'], { name: 'outbox_unsent' });
      await queryInterface.addIndex(OUTBOX_TABLE, ['aggregate_type', 'aggregate_id', 'sent_at', 'id'], { name: 'outbox_aggregate_unsent' });
    },
    async down(queryInterface: QueryInterface) {
      await queryInterface.dropTable(OUTBOX_TABLE);
    },
  },
  ...inboxMigrations,
];
