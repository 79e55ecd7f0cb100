import { NotFound } from '@funshop/platform/errors';
import { decodeNewestFirstCursor, fetchPage, newestFirstCursor, pageSizeOf, type Page } from '@funshop/platform/paging';
import { awaitingPaymentKrw, type CartOrder } from '../domain/cart-order';
import type { Cancellation, CancellationRepository, CartOrderRepository } from './ports';

/** The cart shows the customer's most recent orders; older ones are in the order history. */
export const CART_ORDERS_SHOWN = 100;

/** The customer's cart: their recent orders' entries, and what the ones awaiting payment come to. */
export interface CartView {
  cartOrders: CartOrder[];
  awaitingPaymentKrw: number;
}

/** A cancellation with the entry of the order it cancelled, if the cart has it. */
export interface CancellationView {
  cancellation: Cancellation;
  cartOrder: CartOrder | undefined;
}

/** Reads of the cart, for the customer it belongs to only. */
export class CartQueries {
  constructor(
    private readonly cartOrders: CartOrderRepository,
    private readonly cancellations: CancellationRepository,
  ) {}

  async cart(caller: string, customerId: string): Promise<CartView> {
    requireOwner(caller, customerId);
    const cartOrders = await this.cartOrders.listByCustomer(customerId, CART_ORDERS_SHOWN);
    return { cartOrders, awaitingPaymentKrw: awaitingPaymentKrw(cartOrders) };
  }

  /** A page of cancellations with their orders' items (the finds of one page share a query: pointReads). */
  async listCancellations(caller: string, query: { customerId: string; pageSize: number; pageToken: string }): Promise<Page<CancellationView>> {
    requireOwner(caller, query.customerId);
    const pageSize = pageSizeOf(query.pageSize);
    const after = decodeNewestFirstCursor(query.pageToken);
    const page = await fetchPage(
      pageSize,
      (limit) => this.cancellations.listByCustomer(query.customerId, limit, after),
      (c) => newestFirstCursor(c.cancelledAt, c.cancellationId),
    );
    const items = await Promise.all(page.items.map(async (cancellation) => ({ cancellation, cartOrder: await this.cartOrders.find(cancellation.orderId) })));
    return { ...page, items };
  }
}

/** Another customer's cart is NOT_FOUND, exactly like a cart that does not exist. */
function requireOwner(caller: string, customerId: string): void {
  if (caller !== customerId) throw new NotFound(`cart of customer ${customerId} not found`);
}
