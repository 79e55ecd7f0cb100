import type { TransactionScope } from '@funshop/platform/db/transaction-scope';
import type { Clock, UnitOfWork } from './ports';

/**
 * OrderCancelled or OrderExpired: remember that the order ended (so a payment that arrives later
 * is refused) and refund its approved payment, if there is one, with a PaymentCancelled event.
 */
export class RefundPolicy {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** Runs in the consumer's transaction (`scope`), with the inbox row that makes a redelivery harmless. */
  async orderEnded(scope: TransactionScope, order: { orderId: string; reason: string }): Promise<void> {
    const repositories = this.unitOfWork.join(scope);
    await repositories.endedOrders.record(order.orderId, order.reason);
    const payment = await repositories.payments.findApprovedForOrder(order.orderId);
    if (!payment) return;
    const readVersion = payment.snapshot.version;
    if (!payment.refund(order.reason, this.clock.now())) return;
    await repositories.payments.update(payment, readVersion);
    await repositories.events.cancelled(payment);
    repositories.receipts.issueAfterCommit(payment);
  }
}
