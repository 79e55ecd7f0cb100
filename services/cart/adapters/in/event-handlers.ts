import type { EventHandler } from '@funshop/platform/messaging/consumer';
import { OrderCancelled, OrderExpired, OrderPaid, OrderPlaced } from '@funshop/proto/funshop/order/v1/order_events';
import type { CartPolicies } from '../../app/cart-policies';

/** Event types the cart no longer consumes, and what carries their fact now (see ConsumerOptions.retired). */
export const CART_RETIRED_EVENTS = {
  // Until 2026-12 the cart completed on the payment service's approval; OrderPaid carries it now.
  'funshop.payment.v1.PaymentApproved': 'funshop.order.v1.OrderPaid',
};

/** The events the cart consumes, decoded from protobuf and handed to its policies (in the consumer's transaction). */
export function cartEventHandlers(policies: CartPolicies): Record<string, EventHandler> {
  return {
    'funshop.order.v1.OrderPlaced': (event, scope) => {
      const placed = OrderPlaced.decode(event.payload);
      return policies.orderPlaced(scope, {
        orderId: placed.orderId,
        customerId: placed.customerId,
        items: placed.lines.map((line) => ({
          productId: line.productId,
          productName: line.productName,
          quantity: line.quantity,
          unitPriceKrw: line.unitPriceKrw,
        })),
      });
    },
    'funshop.order.v1.OrderPaid': (event, scope) => {
      const paid = OrderPaid.decode(event.payload);
      return policies.orderPaid(scope, { orderId: paid.orderId, customerId: paid.customerId });
    },
    'funshop.order.v1.OrderCancelled': (event, scope) => {
      const cancelled = OrderCancelled.decode(event.payload);
      return policies.orderEnded(scope, {
        orderId: cancelled.orderId,
        customerId: cancelled.customerId,
        reason: cancelled.reason || 'cancelled by the customer',
      });
    },
    'funshop.order.v1.OrderExpired': (event, scope) => {
      const expired = OrderExpired.decode(event.payload);
      return policies.orderEnded(scope, { orderId: expired.orderId, customerId: expired.customerId, reason: 'not paid in time' });
    },
  };
}
