import type { Transaction } from 'sequelize';
import type { Outbox } from '@funshop/platform/messaging/outbox';
import { OrderCancelled, OrderExpired, OrderPaid, OrderPlaced } from '@funshop/proto/funshop/order/v1/order_events';
import { toProtoOrder } from '../protobuf-mapping';
import type { OrderEvents } from '../../app/ports';
import type { Order } from '../../domain/order';

/** Order events as protobuf rows in the outbox, inside the caller's transaction. */
export class OutboxOrderEvents implements OrderEvents {
  constructor(
    private readonly outbox: Outbox,
    private readonly transaction: Transaction,
  ) {}

  placed(order: Order): Promise<void> {
    const { lines, totalKrw, createTime, expireTime } = toProtoOrder(order);
    const payload = OrderPlaced.encode({
      orderId: order.orderId,
      customerId: order.snapshot.customerId,
      lines,
      totalKrw,
      placeTime: createTime,
      expireTime,
    }).finish();
    return this.append(order, 'funshop.order.v1.OrderPlaced', payload);
  }

  paid(order: Order): Promise<void> {
    const state = order.snapshot;
    const payload = OrderPaid.encode({
      orderId: state.orderId,
      customerId: state.customerId,
      paymentId: state.paymentId ?? '',
      totalKrw: order.totalKrw,
      payTime: state.updatedAt,
    }).finish();
    return this.append(order, 'funshop.order.v1.OrderPaid', payload);
  }

  expired(order: Order): Promise<void> {
    const state = order.snapshot;
    const payload = OrderExpired.encode({ orderId: state.orderId, customerId: state.customerId, expireTime: state.updatedAt }).finish();
    return this.append(order, 'funshop.order.v1.OrderExpired', payload);
  }

  cancelled(order: Order): Promise<void> {
    const state = order.snapshot;
    const payload = OrderCancelled.encode({
      orderId: state.orderId,
      customerId: state.customerId,
      paymentId: state.paymentId ?? '',
      reason: state.cancelReason ?? '',
      cancelTime: state.updatedAt,
    }).finish();
    return this.append(order, 'funshop.order.v1.OrderCancelled', payload);
  }

  private append(order: Order, eventType: string, payload: Uint8Array): Promise<void> {
    return this.outbox.append(this.transaction, [{ eventType, aggregateType: 'order', aggregateId: order.orderId, sequence: order.snapshot.version, payload }]);
  }
}
