import { InvalidArgument, NotFound } from '@funshop/platform/errors';
import { decodeNewestFirstCursor, fetchPage, newestFirstCursor, pageSizeOf, type Page } from '@funshop/platform/paging';
import type { MyPageOrder } from '../domain/my-page-order';
import type { MyPageRepository } from './ports';

/** Reads of the my page, for the customer it belongs to only (another customer's is NOT_FOUND). */
export class MyPageQueries {
  constructor(private readonly repository: MyPageRepository) {}

  async orders(caller: string, query: { customerId: string; pageSize: number; pageToken: string }): Promise<Page<MyPageOrder>> {
    requireOwner(caller, query.customerId);
    const pageSize = pageSizeOf(query.pageSize);
    const after = decodeNewestFirstCursor(query.pageToken);
    return fetchPage(
      pageSize,
      (limit) => this.repository.listByCustomer(query.customerId, limit, after),
      (order) => newestFirstCursor(order.snapshot.createdAt, order.snapshot.orderId),
    );
  }

  async order(caller: string, customerId: string, orderId: string): Promise<MyPageOrder> {
    requireOwner(caller, customerId);
    if (!orderId) throw InvalidArgument.of([{ field: 'order_id', description: 'is required' }]);
    const order = await this.repository.find(orderId);
    if (!order || order.snapshot.customerId !== customerId) throw new NotFound(`order ${orderId} not found on the my page of ${customerId}`);
    return order;
  }
}

function requireOwner(caller: string, customerId: string): void {
  if (caller !== customerId) throw new NotFound(`my page of customer ${customerId} not found`);
}
