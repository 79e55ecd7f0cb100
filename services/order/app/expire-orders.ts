import { ConcurrentModification, FailedPrecondition } from '@funshop/platform/errors';
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
      try {
        await this.unitOfWork.run(async ({ orders, products, events }) => {
          const order = (await orders.find(orderId))!;
          const readVersion = order.snapshot.version;
          order.expire(now);
          await orders.update(order, readVersion);
          for (const line of order.snapshot.lines) await products.release(line.productId, line.quantity);
          await events.expired(order);
        });
        expired += 1;
      } catch (error) {
        // Paid, cancelled or expired by someone else in the meantime (another replica): nothing to do.
        if (!(error instanceof FailedPrecondition || error instanceof ConcurrentModification)) throw error;
      }
    }
    return expired;
  }
}
