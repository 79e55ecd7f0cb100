/** Domain objects as the protobuf messages of the contracts: used by the gRPC handlers. */
import { CartItemStatus, type CartItem as ProtoCartItem, type Cancellation as ProtoCancellation } from '@funshop/proto/funshop/cart/v1/cart';
import type { CartOrder, CartStatus } from '../domain/cart-order';
import type { Cancellation } from '../app/ports';

const STATUS: Record<CartStatus, CartItemStatus> = {
  AWAITING_PAYMENT: CartItemStatus.CART_ITEM_STATUS_AWAITING_PAYMENT,
  ORDER_COMPLETED: CartItemStatus.CART_ITEM_STATUS_ORDER_COMPLETED,
  CANCELLED: CartItemStatus.CART_ITEM_STATUS_CANCELLED,
};

export function toProtoItems(cartOrder: CartOrder): ProtoCartItem[] {
  const state = cartOrder.snapshot;
  return state.items.map((item) => ({
    orderId: state.orderId,
    ...item,
    status: STATUS[state.status],
    addTime: state.createdAt,
    updateTime: state.updatedAt,
  }));
}

export function toProtoCancellation(cancellation: Cancellation, items: ProtoCartItem[]): ProtoCancellation {
  return {
    cancellationId: cancellation.cancellationId,
    orderId: cancellation.orderId,
    customerId: cancellation.customerId,
    items,
    reason: cancellation.reason,
    cancelTime: cancellation.cancelledAt,
  };
}
