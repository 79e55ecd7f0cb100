import { Op, type Sequelize, type Transaction } from 'sequelize';
import type { EventHandler } from '@funshop/platform/messaging/consumer';
import type { EventEnvelope } from '@funshop/platform/messaging/envelope';
import type { Logger } from '@funshop/platform/logger';
import { StoredEventRow } from '../out/models';
import { SequelizeMyPageRepository } from '../out/sequelize-my-page-repository';
import type { Projection } from './event-projections';

/**
 * The consumer's handlers: each event is stored (the projection's own event log) and applied,
 * in the consumer's transaction with the inbox row, so all three commit together or not at all.
 */
export function myPageEventHandlers(projections: Record<string, Projection>): Record<string, EventHandler> {
  return Object.fromEntries(
    Object.entries(projections).map(([eventType, project]): [string, EventHandler] => [
      eventType,
      async (event, transaction) => {
        await StoredEventRow.create(toRow(event), { transaction });
        await project(event, new SequelizeMyPageRepository(transaction));
      },
    ]),
  );
}

/**
 * Drops the read model and replays every stored event into it, in the order they arrived:
 * the my page as if all its events were delivered again (`node main.js rebuild`).
 */
export async function rebuildMyPage(sequelize: Sequelize, projections: Record<string, Projection>, logger: Logger): Promise<number> {
  let replayed = 0;
  await sequelize.transaction(async (transaction: Transaction) => {
    await sequelize.query('TRUNCATE my_page_orders', { transaction });
    const repository = new SequelizeMyPageRepository(transaction);
    for (let after = 0; ; ) {
      const rows = await StoredEventRow.findAll({ where: { position: { [Op.gt]: after } }, order: [['position', 'ASC']], limit: 500, transaction });
      if (rows.length === 0) break;
      for (const row of rows) {
        await projections[row.eventType]?.(toEnvelope(row), repository);
        after = Number(row.position);
        replayed += 1;
      }
    }
  });
  logger.info({ replayed }, 'my page rebuilt from stored events');
  return replayed;
}

function toRow(event: EventEnvelope) {
  return {
    eventId: event.eventId,
    eventType: event.eventType,
    aggregateId: event.aggregateId,
    sequence: event.sequence,
    occurredAt: event.occurredAt,
    correlationId: event.correlationId,
    causationId: event.causationId,
    contentType: event.contentType,
    payload: event.payload,
  };
}

function toEnvelope(row: StoredEventRow): EventEnvelope {
  return {
    eventId: row.eventId,
    eventType: row.eventType,
    aggregateType: '',
    aggregateId: row.aggregateId,
    sequence: row.sequence,
    occurredAt: row.occurredAt,
    correlationId: row.correlationId,
    causationId: row.causationId,
    contentType: row.contentType,
    payload: row.payload,
  };
}
