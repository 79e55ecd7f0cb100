/** Domain objects as the protobuf messages of the contracts: one mapping for the gRPC handlers and the events. */
import { OrderStatus as ProtoOrderStatus, type Order as ProtoOrder } from '@funshop/proto/funshop/order/v1/order';
import type { Product as ProtoProduct } from '@funshop/proto/funshop/order/v1/catalog';
import { lineTotalKrw, type Order, type OrderStatus } from '../domain/order';
import type { Product } from '../domain/product';

const STATUS: Record<OrderStatus, ProtoOrderStatus> = {
  PENDING_PAYMENT: ProtoOrderStatus.ORDER_STATUS_PENDING_PAYMENT,
  PAID: ProtoOrderStatus.ORDER_STATUS_PAID,
  CANCELLED: ProtoOrderStatus.ORDER_STATUS_CANCELLED,
  EXPIRED: ProtoOrderStatus.ORDER_STATUS_EXPIRED,
};

export function toProtoOrder(order: Order): ProtoOrder {
  const state = order.snapshot;
  return {
    orderId: state.orderId,
    customerId: state.customerId,
    lines: state.lines.map((line) => ({ ...line, lineTotalKrw: lineTotalKrw(line) })),
    totalKrw: order.totalKrw,
    status: STATUS[state.status],
    version: state.version,
    createTime: state.createdAt,
    updateTime: state.updatedAt,
    expireTime: state.expiresAt,
    paymentId: state.paymentId ?? '',
    paymentDeclineReason: state.paymentDeclineReason ?? '',
    cancelReason: state.cancelReason ?? '',
  };
}

export function toProtoProduct(product: Product): ProtoProduct {
  return { ...product };
}
