import type { CartItem } from '../domain/cart-order';
import { CartOrder } from '../domain/cart-order';
import type { TransactionScope } from '@funshop/platform/db/transaction-scope';
import type { CartRepositories, CartUnitOfWork, Clock, IdGenerator } from './ports';

/**
 * The cart's policies: what it does when the order service reports something. Each runs inside
 * the consumer's transaction (with the inbox row that makes redelivery harmless), and a
 * cancellation is saved together with its record. The cart announces nothing: its status follows
 * from the order's events alone, which the my page consumes too.
 */
export class CartPolicies {
  constructor(
    private readonly unitOfWork: CartUnitOfWork,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** OrderPlaced: the ordered items go into the cart, awaiting payment. */
  orderPlaced(scope: TransactionScope, order: { orderId: string; customerId: string; items: CartItem[] }): Promise<void> {
    return this.change(this.unitOfWork.join(scope), order, (cartOrder, now) => cartOrder.place(order.items, now));
  }

  /** OrderPaid: the order's payment was approved, so its items are order-completed. */
  orderPaid(scope: TransactionScope, order: { orderId: string; customerId: string }): Promise<void> {
    return this.change(this.unitOfWork.join(scope), order, (cartOrder, now) => cartOrder.completePayment(now));
  }

  /** OrderCancelled or OrderExpired: the order's items are cancelled and a cancellation is recorded. */
  orderEnded(scope: TransactionScope, order: { orderId: string; customerId: string; reason: string }): Promise<void> {
    const repositories = this.unitOfWork.join(scope);
    return this.change(repositories, order, async (cartOrder, now) => {
      if (!cartOrder.cancel(order.reason, now)) return false;
      await repositories.cancellations.add({
        cancellationId: this.ids.newId(),
        orderId: order.orderId,
        customerId: order.customerId,
        reason: order.reason,
        cancelledAt: now,
      });
      return true;
    });
  }

  private async change(
    repositories: CartRepositories,
    about: { orderId: string; customerId: string },
    apply: (cartOrder: CartOrder, now: Date) => boolean | Promise<boolean>,
  ): Promise<void> {
    const now = this.clock.now();
    const cartOrder = (await repositories.cartOrders.find(about.orderId)) ?? CartOrder.open(about.orderId, about.customerId, now);
    const readVersion = cartOrder.snapshot.version;
    if (!(await apply(cartOrder, now))) return;
    await repositories.cartOrders.save(cartOrder, readVersion);
  }
}
