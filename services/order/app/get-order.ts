import { InvalidArgument, NotFound } from '@funshop/platform/errors';
import type { Order } from '../domain/order';
import type { OrderRepository, UnitOfWork } from './ports';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The customer's own order. Another customer's order is NOT_FOUND, exactly like a missing one, so
 * the answer does not reveal which order ids exist.
 */
export async function findOwnOrder(orders: OrderRepository, customerId: string, orderId: string): Promise<Order> {
  if (!orderId) throw InvalidArgument.of([{ field: 'order_id', description: 'is required' }]);
  if (!UUID.test(orderId)) throw InvalidArgument.of([{ field: 'order_id', description: `must be a lowercase UUID, got "${orderId}"` }]);
  const order = await orders.find(orderId);
  if (!order || order.snapshot.customerId !== customerId) throw new NotFound(`order ${orderId} not found`);
  return order;
}

export class GetOrder {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  execute(query: { customerId: string; orderId: string }): Promise<Order> {
    return findOwnOrder(this.unitOfWork.repositories.orders, query.customerId, query.orderId);
  }
}
