import { decodeNewestFirstCursor, fetchPage, newestFirstCursor, pageSizeOf, type Page } from '@funshop/platform/paging';
import type { Order } from '../domain/order';
import type { UnitOfWork } from './ports';

/** The customer's orders, newest first, a page at a time. */
export class ListOrders {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  execute(query: { customerId: string; pageSize: number; pageToken: string }): Promise<Page<Order>> {
    const pageSize = pageSizeOf(query.pageSize);
    const after = decodeNewestFirstCursor(query.pageToken);
    return fetchPage(
      pageSize,
      (limit) => this.unitOfWork.repositories.orders.listByCustomer(query.customerId, limit, after),
      (order) => newestFirstCursor(order.snapshot.createdAt, order.orderId),
    );
  }
}
