import { Op, type Sequelize, type Transaction } from 'sequelize';
import { Statements, placeholders } from '@funshop/platform/db/statements';
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
export function myPageEventHandlers(projections: Record<string, Projection>, statements: Statements): Record<string, EventHandler> {
  return Object.fromEntries(
    Object.entries(projections).map(([eventType, project]): [string, EventHandler] => [
      eventType,
      async (event, transaction) => {
        await statements.execute(
          `INSERT INTO stored_events (event_id, event_type, aggregate_id, sequence, occurred_at, correlation_id, causation_id, content_type, payload)
           VALUES (${placeholders(9)})`,
          [
            event.eventId,
            event.eventType,
            event.aggregateId,
            event.sequence,
            event.occurredAt,
            event.correlationId,
            event.causationId,
            event.contentType,
            Buffer.from(event.payload),
          ],
          transaction,
        );
        await project(event, new SequelizeMyPageRepository(statements, { transaction }));
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
    const repository = new SequelizeMyPageRepository(new Statements(sequelize), { transaction });
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
