import type { Transaction } from 'sequelize';
import type { Outbox } from '@funshop/platform/messaging/outbox';
import { CartUpdated } from '@funshop/proto/funshop/cart/v1/cart_events';
import type { CartEvents } from '../../app/ports';
import type { CartOrder } from '../../domain/cart-order';
import { STATUS, toProtoItems } from '../protobuf-mapping';

/** CartUpdated as a protobuf row in the outbox, inside the consumer's transaction. */
export class OutboxCartEvents implements CartEvents {
  constructor(
    private readonly outbox: Outbox,
    private readonly transaction: Transaction,
  ) {}

  updated(cartOrder: CartOrder): Promise<void> {
    const state = cartOrder.snapshot;
    const payload = CartUpdated.encode({
      customerId: state.customerId,
      orderId: state.orderId,
      status: STATUS[state.status],
      items: toProtoItems(cartOrder),
      updateTime: state.updatedAt,
    }).finish();
    return this.outbox.append(this.transaction, [
      { eventType: 'funshop.cart.v1.CartUpdated', aggregateType: 'cart-order', aggregateId: state.orderId, sequence: state.version, payload },
    ]);
  }
}
