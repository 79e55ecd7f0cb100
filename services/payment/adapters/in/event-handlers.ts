import type { EventHandler } from '@funshop/platform/messaging/consumer';
import { OrderCancelled, OrderExpired } from '@funshop/proto/funshop/order/v1/order_events';
import type { RefundPolicy } from '../../app/refund-policy';

/** The events the payment service consumes: an order that ends has its payment refunded (in the consumer's transaction). */
export function paymentEventHandlers(policy: RefundPolicy): Record<string, EventHandler> {
  return {
    'funshop.order.v1.OrderCancelled': (event, scope) => {
      const cancelled = OrderCancelled.decode(event.payload);
      return policy.orderEnded(scope, { orderId: cancelled.orderId, reason: cancelled.reason || 'order cancelled' });
    },
    'funshop.order.v1.OrderExpired': (event, scope) => {
      const expired = OrderExpired.decode(event.payload);
      return policy.orderEnded(scope, { orderId: expired.orderId, reason: 'order expired unpaid' });
    },
  };
}
