import type { Transaction } from 'sequelize';
import type { EventHandler } from '@funshop/platform/messaging/consumer';
import type { MyPageWrites, Projection } from '../../app/ports';

/**
 * The consumer's handlers: each event is stored (the projection's own event log) and applied,
 * in the consumer's transaction with the inbox row, so all three commit together or not at all.
 * `writesIn` gives the ports bound to that transaction (wired in main.ts).
 */
export function myPageEventHandlers(projections: Record<string, Projection>, writesIn: (transaction: Transaction) => MyPageWrites): Record<string, EventHandler> {
  return Object.fromEntries(
    Object.entries(projections).map(([eventType, project]): [string, EventHandler] => [
      eventType,
      async (event, transaction) => {
        const { myPages, storedEvents } = writesIn(transaction);
        await storedEvents.append(event);
        await project(event, myPages);
      },
    ]),
  );
}
