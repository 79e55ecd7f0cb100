import type { EventEnvelope } from '@funshop/platform/messaging/envelope';
import { CartItemStatus } from '@funshop/proto/funshop/cart/v1/cart';
import { CartUpdated } from '@funshop/proto/funshop/cart/v1/cart_events';
import { OrderCancelled, OrderExpired, OrderPaid, OrderPlaced } from '@funshop/proto/funshop/order/v1/order_events';
import { PaymentApproved, PaymentCancelled, PaymentDeclined } from '@funshop/proto/funshop/payment/v1/payment_events';
import type { MyPageProjector } from '../../app/my-page-projector';
import type { Projection } from '../../app/ports';
import type { CartStatus } from '../../domain/my-page-order';

const CART_STATUS: Partial<Record<CartItemStatus, CartStatus>> = {
  [CartItemStatus.CART_ITEM_STATUS_AWAITING_PAYMENT]: 'AWAITING_PAYMENT',
  [CartItemStatus.CART_ITEM_STATUS_ORDER_COMPLETED]: 'ORDER_COMPLETED',
  [CartItemStatus.CART_ITEM_STATUS_CANCELLED]: 'CANCELLED',
};

/** Every event the my page is built from, decoded from protobuf into the projector's facts. */
export function myPageProjections(projector: MyPageProjector): Record<string, Projection> {
  const fact = (event: EventEnvelope, about: { orderId: string; customerId: string }) => ({
    ...about,
    occurredAt: event.occurredAt,
    sequence: event.sequence,
    correlationId: event.correlationId,
  });
  return {
    'funshop.order.v1.OrderPlaced': (event, repository) => {
      const placed = OrderPlaced.decode(event.payload);
      const items = placed.lines.map((l) => ({ productId: l.productId, productName: l.productName, quantity: l.quantity, unitPriceKrw: l.unitPriceKrw }));
      return projector.orderPlaced(repository, { ...fact(event, placed), items, totalKrw: placed.totalKrw });
    },
    'funshop.order.v1.OrderPaid': (event, repository) =>
      projector.orderStatusChanged(repository, { ...fact(event, OrderPaid.decode(event.payload)), status: 'PAID' }),
    'funshop.order.v1.OrderCancelled': (event, repository) =>
      projector.orderStatusChanged(repository, { ...fact(event, OrderCancelled.decode(event.payload)), status: 'CANCELLED' }),
    'funshop.order.v1.OrderExpired': (event, repository) =>
      projector.orderStatusChanged(repository, { ...fact(event, OrderExpired.decode(event.payload)), status: 'EXPIRED' }),
    'funshop.payment.v1.PaymentApproved': (event, repository) =>
      projector.paymentStatusChanged(repository, { ...fact(event, PaymentApproved.decode(event.payload)), status: 'APPROVED' }),
    'funshop.payment.v1.PaymentDeclined': (event, repository) =>
      projector.paymentStatusChanged(repository, { ...fact(event, PaymentDeclined.decode(event.payload)), status: 'DECLINED' }),
    'funshop.payment.v1.PaymentCancelled': (event, repository) =>
      projector.paymentStatusChanged(repository, { ...fact(event, PaymentCancelled.decode(event.payload)), status: 'CANCELLED' }),
    'funshop.cart.v1.CartUpdated': (event, repository) => {
      const updated = CartUpdated.decode(event.payload);
      const status = CART_STATUS[updated.status];
      return status ? projector.cartStatusChanged(repository, { ...fact(event, updated), status }) : Promise.resolve();
    },
  };
}
