import type { TransactionScope } from '@funshop/platform/db/transaction-scope';
import type { EventEnvelope } from '@funshop/platform/messaging/envelope';
import type { MyPageUnitOfWork, Projection } from './ports';

/**
 * A consumed event, kept in the my page's own log (what a rebuild replays) and applied to the my
 * page, in the consumer's transaction with its inbox row: all three commit together or not at all.
 */
export class RecordEvent {
  constructor(private readonly unitOfWork: MyPageUnitOfWork) {}

  async apply(scope: TransactionScope, event: EventEnvelope, project: Projection): Promise<void> {
    const { myPages, storedEvents } = this.unitOfWork.join(scope);
    await storedEvents.append(event);
    await project(event, myPages);
  }
}
