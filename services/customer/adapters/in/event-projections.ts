import type { EventEnvelope } from '@funshop/platform/messaging/envelope';
import { OrderCancelled, OrderExpired, OrderPaid, OrderPlaced } from '@funshop/proto/funshop/order/v1/order_events';
import { PaymentCancelled, PaymentDeclined } from '@funshop/proto/funshop/payment/v1/payment_events';
import type { MyPageProjector } from '../../app/my-page-projector';
import type { Projection } from '../../app/ports';

/**
 * Event types the my page no longer consumes, and what carries their fact now (see
 * ConsumerOptions.retired). Stored ones are skipped by a rebuild too: their successors were
 * published beside them, so the history replays to the same page.
 */
export const MY_PAGE_RETIRED_EVENTS = {
  'funshop.payment.v1.PaymentApproved': 'funshop.order.v1.OrderPaid',
  'funshop.cart.v1.CartUpdated': 'funshop.order.v1.OrderPlaced, OrderPaid, OrderCancelled and OrderExpired',
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
    'funshop.order.v1.OrderPaid': (event, repository) => projector.orderPaid(repository, fact(event, OrderPaid.decode(event.payload))),
    'funshop.order.v1.OrderCancelled': (event, repository) =>
      projector.orderStatusChanged(repository, { ...fact(event, OrderCancelled.decode(event.payload)), status: 'CANCELLED' }),
    'funshop.order.v1.OrderExpired': (event, repository) =>
      projector.orderStatusChanged(repository, { ...fact(event, OrderExpired.decode(event.payload)), status: 'EXPIRED' }),
    'funshop.payment.v1.PaymentDeclined': (event, repository) =>
      projector.paymentStatusChanged(repository, { ...fact(event, PaymentDeclined.decode(event.payload)), status: 'DECLINED' }),
    'funshop.payment.v1.PaymentCancelled': (event, repository) =>
      projector.paymentStatusChanged(repository, { ...fact(event, PaymentCancelled.decode(event.payload)), status: 'CANCELLED' }),
  };
}
