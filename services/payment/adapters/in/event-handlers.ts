import type { Transaction } from 'sequelize';
import type { EventHandler } from '@funshop/platform/messaging/consumer';
import { OrderCancelled, OrderExpired } from '@funshop/proto/funshop/order/v1/order_events';
import type { PaymentRepositories } from '../../app/ports';
import type { RefundPolicy } from '../../app/refund-policy';

/** The events the payment service consumes: an order that ends has its payment refunded. */
export function paymentEventHandlers(policy: RefundPolicy, within: (transaction: Transaction) => PaymentRepositories): Record<string, EventHandler> {
  return {
    'funshop.order.v1.OrderCancelled': (event, transaction) => {
      const cancelled = OrderCancelled.decode(event.payload);
      return policy.orderEnded(within(transaction), { orderId: cancelled.orderId, reason: cancelled.reason || 'order cancelled' });
    },
    'funshop.order.v1.OrderExpired': (event, transaction) => {
      const expired = OrderExpired.decode(event.payload);
      return policy.orderEnded(within(transaction), { orderId: expired.orderId, reason: 'order expired unpaid' });
    },
  };
}
