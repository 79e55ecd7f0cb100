import type { Transaction } from 'sequelize';
import type { EventHandler } from '@funshop/platform/messaging/consumer';
import type { EventEnvelope } from '@funshop/platform/messaging/envelope';
import { OrderCancelled, OrderExpired, OrderPlaced } from '@funshop/proto/funshop/order/v1/order_events';
import { PaymentApproved } from '@funshop/proto/funshop/payment/v1/payment_events';
import type { CartPolicies } from '../../app/cart-policies';
import type { CartRepositories } from '../../app/ports';

/** The events the cart consumes, decoded from protobuf and handed to its policies. */
export function cartEventHandlers(policies: CartPolicies, repositoriesFor: (transaction: Transaction) => CartRepositories): Record<string, EventHandler> {
  const within = (apply: (repositories: CartRepositories, event: EventEnvelope) => Promise<void>): EventHandler =>
    (event, transaction) => apply(repositoriesFor(transaction), event);
  return {
    'funshop.order.v1.OrderPlaced': within((repositories, event) => {
      const placed = OrderPlaced.decode(event.payload);
      return policies.orderPlaced(repositories, {
        orderId: placed.orderId,
        customerId: placed.customerId,
        items: placed.lines.map((line) => ({
          productId: line.productId,
          productName: line.productName,
          quantity: line.quantity,
          unitPriceKrw: line.unitPriceKrw,
        })),
      });
    }),
    'funshop.payment.v1.PaymentApproved': within((repositories, event) => {
      const approved = PaymentApproved.decode(event.payload);
      return policies.paymentApproved(repositories, { orderId: approved.orderId, customerId: approved.customerId });
    }),
    'funshop.order.v1.OrderCancelled': within((repositories, event) => {
      const cancelled = OrderCancelled.decode(event.payload);
      return policies.orderEnded(repositories, { orderId: cancelled.orderId, customerId: cancelled.customerId, reason: cancelled.reason || 'cancelled by the customer' });
    }),
    'funshop.order.v1.OrderExpired': within((repositories, event) => {
      const expired = OrderExpired.decode(event.payload);
      return policies.orderEnded(repositories, { orderId: expired.orderId, customerId: expired.customerId, reason: 'not paid in time' });
    }),
  };
}
