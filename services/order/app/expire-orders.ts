import { ConcurrentModification, FailedPrecondition } from '@funshop/platform/errors';
import { inNewTrace } from '@funshop/platform/tracing/spans';
import type { Clock, UnitOfWork } from './ports';

/**
 * The saga's timeout: an order not paid within its payment window expires, its stock goes back,
 * and OrderExpired tells the cart to cancel its items and the payment service never to charge it.
 */
export class ExpireOrders {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** Expires up to `limit` overdue orders; returns how many it expired. */
  async runOnce(limit = 100): Promise<number> {
    const now = this.clock.now();
    const overdue = await this.unitOfWork.repositories.orders.findExpired(now, limit);
    let expired = 0;
    for (const { orderId } of overdue) {
      // Each expiry starts a trace of its own (the sweep is untraced): its OrderExpired carries it
      // to the cart's and the payment service's compensations, and to the my page.
      const done = await inNewTrace('order expire', { 'funshop.order_id': orderId }, async (span) => {
        try {
          await this.unitOfWork.run(async ({ orders, products, events }) => {
            const order = (await orders.find(orderId))!;
            const readVersion = order.snapshot.version;
            order.expire(now);
            await orders.update(order, readVersion);
            for (const line of order.snapshot.lines) await products.release(line.productId, line.quantity);
            await events.expired(order);
          });
          return true;
        } catch (error) {
          // Paid, cancelled or expired by someone else in the meantime (another replica): nothing to do.
          if (!(error instanceof FailedPrecondition || error instanceof ConcurrentModification)) throw error;
          span.addEvent('left alone', { reason: (error as Error).message });
          return false;
        }
      });
      if (done) expired += 1;
    }
    return expired;
  }
}
