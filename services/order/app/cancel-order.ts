import type { Order } from '../domain/order';
import { findOwnOrder } from './get-order';
import type { Clock, UnitOfWork } from './ports';

export interface CancelOrderCommand {
  customerId: string;
  orderId: string;
  reason: string;
}

/** Cancels one of the customer's orders, puts its stock back and records OrderCancelled, in one transaction. */
export class CancelOrder {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  execute(command: CancelOrderCommand, signal?: AbortSignal): Promise<Order> {
    return this.unitOfWork.run(async ({ orders, products, events }) => {
      const order = await findOwnOrder(orders, command.customerId, command.orderId);
      const readVersion = order.snapshot.version;
      order.cancel(command.reason, this.clock.now());
      // Saved first: a concurrent change fails here, before any stock moves.
      await orders.update(order, readVersion);
      for (const line of order.snapshot.lines) await products.release(line.productId, line.quantity);
      await events.cancelled(order);
      return order;
    }, signal);
  }
}
