import { CartItemStatus, OrderStatus, PaymentStatus, type MyPageOrder } from './api/types';

/**
 * Whether the my page shows every consequence of the order's state: the cart and the payment
 * agree with it. Until then the events are still on their way, and the page keeps asking.
 */
export function settled(entry: MyPageOrder): boolean {
  switch (entry.orderStatus) {
    case OrderStatus.ORDER_STATUS_PENDING_PAYMENT:
      return entry.cartStatus === CartItemStatus.CART_ITEM_STATUS_AWAITING_PAYMENT;
    case OrderStatus.ORDER_STATUS_PAID:
      return entry.paymentStatus === PaymentStatus.PAYMENT_STATUS_APPROVED && entry.cartStatus === CartItemStatus.CART_ITEM_STATUS_ORDER_COMPLETED;
    case OrderStatus.ORDER_STATUS_CANCELLED:
    case OrderStatus.ORDER_STATUS_EXPIRED:
      // A paid order's payment is refunded after the cancel: not settled while it still shows approved.
      return entry.cartStatus === CartItemStatus.CART_ITEM_STATUS_CANCELLED && entry.paymentStatus !== PaymentStatus.PAYMENT_STATUS_APPROVED;
    default:
      return false;
  }
}
