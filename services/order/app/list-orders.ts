import { InvalidArgument } from '@funshop/platform/errors';
import { decodePageToken, fetchPage, pageSizeOf, type Page } from '@funshop/platform/paging';
import type { Order } from '../domain/order';
import type { UnitOfWork } from './ports';

/** The customer's orders, newest first, a page at a time. */
export class ListOrders {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async execute(query: { customerId: string; pageSize: number; pageToken: string }): Promise<Page<Order>> {
    const pageSize = pageSizeOf(query.pageSize);
    const cursor = decodePageToken(query.pageToken, 2);
    if (cursor && (typeof cursor[0] !== 'number' || typeof cursor[1] !== 'string')) {
      throw InvalidArgument.of([{ field: 'page_token', description: 'is not a token this service issued' }]);
    }
    const after = cursor ? { createdAt: new Date(cursor[0]), orderId: String(cursor[1]) } : undefined;
    return fetchPage(
      pageSize,
      (limit) => this.unitOfWork.repositories.orders.listByCustomer(query.customerId, limit, after),
      (order) => [order.snapshot.createdAt.getTime(), order.orderId],
    );
  }
}
