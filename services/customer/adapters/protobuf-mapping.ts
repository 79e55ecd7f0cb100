/** The my page's view of an order as the contract's MyPageOrder message. */
import { CartItemStatus } from '@funshop/proto/funshop/cart/v1/cart';
import type { MyPageOrder as ProtoMyPageOrder } from '@funshop/proto/funshop/customer/v1/my_page';
import { OrderStatus as ProtoOrderStatus } from '@funshop/proto/funshop/order/v1/order';
import { PaymentStatus as ProtoPaymentStatus } from '@funshop/proto/funshop/payment/v1/payment';
import type { CartStatus, MyPageOrder, OrderStatus, PaymentStatus } from '../domain/my-page-order';

const ORDER: Record<OrderStatus, ProtoOrderStatus> = {
  PENDING_PAYMENT: ProtoOrderStatus.ORDER_STATUS_PENDING_PAYMENT,
  PAID: ProtoOrderStatus.ORDER_STATUS_PAID,
  CANCELLED: ProtoOrderStatus.ORDER_STATUS_CANCELLED,
  EXPIRED: ProtoOrderStatus.ORDER_STATUS_EXPIRED,
};
const PAYMENT: Record<PaymentStatus, ProtoPaymentStatus> = {
  NONE: ProtoPaymentStatus.PAYMENT_STATUS_UNSPECIFIED,
  DECLINED: ProtoPaymentStatus.PAYMENT_STATUS_DECLINED,
  APPROVED: ProtoPaymentStatus.PAYMENT_STATUS_APPROVED,
  CANCELLED: ProtoPaymentStatus.PAYMENT_STATUS_CANCELLED,
};
const CART: Record<CartStatus, CartItemStatus> = {
  NONE: CartItemStatus.CART_ITEM_STATUS_UNSPECIFIED,
  AWAITING_PAYMENT: CartItemStatus.CART_ITEM_STATUS_AWAITING_PAYMENT,
  ORDER_COMPLETED: CartItemStatus.CART_ITEM_STATUS_ORDER_COMPLETED,
  CANCELLED: CartItemStatus.CART_ITEM_STATUS_CANCELLED,
};

export function toProtoMyPageOrder(order: MyPageOrder): ProtoMyPageOrder {
  const s = order.snapshot;
  return {
    orderId: s.orderId,
    customerId: s.customerId,
    items: s.items.map((item) => ({ ...item })),
    totalKrw: s.totalKrw,
    orderStatus: ORDER[s.orderStatus],
    paymentStatus: PAYMENT[s.paymentStatus],
    cartStatus: CART[s.cartStatus],
    createTime: s.createdAt,
    updateTime: s.updatedAt,
    correlationId: s.correlationId,
  };
}
