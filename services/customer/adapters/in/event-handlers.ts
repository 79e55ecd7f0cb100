import { Statements, placeholders } from '@funshop/platform/db/statements';
import type { EventHandler } from '@funshop/platform/messaging/consumer';
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
