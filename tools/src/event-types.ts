import * as cart from '@funshop/proto/funshop/cart/v1/cart_events';
import * as order from '@funshop/proto/funshop/order/v1/order_events';
import * as payment from '@funshop/proto/funshop/payment/v1/payment_events';

interface Decoder {
  decode(bytes: Uint8Array): unknown;
  toJSON(message: never): unknown;
}

/**
 * The integration events of the contracts, by full name, so tools can show a payload as JSON.
 * Retired types (PaymentApproved, CartUpdated) stay: a dead letter or a stored event may be one.
 */
export const EVENT_TYPES: Record<string, Decoder> = {
  'funshop.order.v1.OrderPlaced': order.OrderPlaced,
  'funshop.order.v1.OrderPaid': order.OrderPaid,
  'funshop.order.v1.OrderCancelled': order.OrderCancelled,
  'funshop.order.v1.OrderExpired': order.OrderExpired,
  'funshop.payment.v1.PaymentApproved': payment.PaymentApproved,
  'funshop.payment.v1.PaymentDeclined': payment.PaymentDeclined,
  'funshop.payment.v1.PaymentCancelled': payment.PaymentCancelled,
  'funshop.cart.v1.CartUpdated': cart.CartUpdated,
};

/** A payload as JSON when its type is known, else undefined. */
export function decodeEvent(eventType: string, payload: Buffer): unknown {
  const decoder = EVENT_TYPES[eventType];
  return decoder ? decoder.toJSON(decoder.decode(payload) as never) : undefined;
}
