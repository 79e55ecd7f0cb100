import type { Product } from './api/types';
import { stored, useStored } from './stored';

/** A product chosen for the next order, with how many. */
export interface BasketLine {
  productId: string;
  name: string;
  priceKrw: string;
  quantity: number;
}

export interface Basket {
  lines: BasketLine[];
  /**
   * The idempotency key of placing this basket: kept while the basket is unchanged, so a retry
   * (a double click, a 503, a lost answer) returns the order already placed instead of a second.
   */
  idempotencyKey: string;
}

/** The shop's bounds on an order (PlaceOrderRequest: 1..50 items, 1..99 of each). */
export const MAX_LINES = 50;
export const MAX_QUANTITY = 99;

const EMPTY: Basket = { lines: [], idempotencyKey: '' };
const current = stored<Basket>('funshop.basket', EMPTY);

export const basket = {
  /** Sets a product's quantity (0 removes it); a changed basket is a new order, with a new key. */
  setQuantity(product: Pick<Product, 'productId' | 'name' | 'priceKrw'>, quantity: number): void {
    const others = current.get().lines.filter((line) => line.productId !== product.productId);
    const lines = quantity > 0 ? [...others, { productId: product.productId, name: product.name, priceKrw: product.priceKrw, quantity }] : others;
    current.set(lines.length ? { lines, idempotencyKey: newKey() } : EMPTY);
  },
  clear: () => current.set(EMPTY),
};

export const useBasket = (): Basket => useStored(current);

export function basketTotal(lines: BasketLine[]): number {
  return lines.reduce((total, line) => total + Number(line.priceKrw) * line.quantity, 0);
}

/** 128 random bits in hex. Not crypto.randomUUID: that exists on secure origins only (not a cluster's http://node-ip). */
function newKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
