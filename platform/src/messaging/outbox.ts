import { randomUUID } from 'node:crypto';
import { DataTypes, type QueryInterface, type Sequelize, type Transaction } from 'sequelize';
import type { Migration } from '../db/migrations';
import { Statements, rowPlaceholders } from '../db/statements';
import { currentContext } from '../request-context';
import { inSpan, traceHeaders } from '../tracing/spans';
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

  /**
   * Writes the events in the caller's transaction. Each row keeps the trace context of the work
   * that wrote it (this append's span), so the relay's later publish, and every consumer's
   * handling, join the trace of the request that caused the event.
   */
  async append(transaction: Transaction, events: readonly NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    await inSpan('outbox append', { attributes: { 'funshop.event_types': events.map((event) => event.eventType) } }, async () => {
      const context = currentContext();
      const correlationId = context?.correlationId ?? randomUUID();
      const occurredAt = new Date();
      const causationId = context?.causationId ?? correlationId;
      const headers = traceHeaders();
      const traceContext = Object.keys(headers).length > 0 ? JSON.stringify(headers) : null;
      await this.statements.execute(
        `INSERT INTO ${OUTBOX_TABLE} (event_id, event_type, aggregate_type, aggregate_id, sequence, occurred_at,
                                     correlation_id, causation_id, content_type, payload, trace_context)
         VALUES ${rowPlaceholders(events.length, 11)}`,
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
          traceContext,
        ]),
        transaction,
      );
    });
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
  {
    name: 'platform-0004-outbox-trace-context',
    async up(queryInterface: QueryInterface) {
      // The W3C trace context (traceparent, tracestate) of the transaction that wrote the event, as JSON; NULL when untraced.
      await queryInterface.addColumn(OUTBOX_TABLE, 'trace_context', { type: DataTypes.STRING(1024), allowNull: true });
    },
    async down(queryInterface: QueryInterface) {
      await queryInterface.removeColumn(OUTBOX_TABLE, 'trace_context');
    },
  },
];
