import type { EventHandler } from '@funshop/platform/messaging/consumer';
import type { Projection } from '../../app/ports';
import type { RecordEvent } from '../../app/record-event';

/** The consumer's handlers: every event the my page is built from, recorded and projected. */
export function myPageEventHandlers(projections: Record<string, Projection>, record: RecordEvent): Record<string, EventHandler> {
  return Object.fromEntries(
    Object.entries(projections).map(([eventType, project]): [string, EventHandler] => [eventType, (event, scope) => record.apply(scope, event, project)]),
  );
}
