import { NotFound } from '@funshop/platform/errors';
import { decodeNewestFirstCursor, fetchPage, newestFirstCursor, pageSizeOf, type Page } from '@funshop/platform/paging';
import type { CartOrder } from '../domain/cart-order';
import type { Cancellation, CancellationRepository, CartOrderRepository } from './ports';

/** The cart shows the customer's most recent orders; older ones are in the order history. */
export const CART_ORDERS_SHOWN = 100;

/** Reads of the cart, for the customer it belongs to only. */
export class CartQueries {
  constructor(
    private readonly cartOrders: CartOrderRepository,
    private readonly cancellations: CancellationRepository,
  ) {}

  async cart(caller: string, customerId: string): Promise<CartOrder[]> {
    requireOwner(caller, customerId);
    return this.cartOrders.listByCustomer(customerId, CART_ORDERS_SHOWN);
  }

  listCancellations(caller: string, query: { customerId: string; pageSize: number; pageToken: string }): Promise<Page<Cancellation>> {
    requireOwner(caller, query.customerId);
    const pageSize = pageSizeOf(query.pageSize);
    const after = decodeNewestFirstCursor(query.pageToken);
    return fetchPage(
      pageSize,
      (limit) => this.cancellations.listByCustomer(query.customerId, limit, after),
      (c) => newestFirstCursor(c.cancelledAt, c.cancellationId),
    );
  }
}

/** Another customer's cart is NOT_FOUND, exactly like a cart that does not exist. */
function requireOwner(caller: string, customerId: string): void {
  if (caller !== customerId) throw new NotFound(`cart of customer ${customerId} not found`);
}
