import { call } from './client';
import type {
  Card,
  CancelOrderResponse,
  GetCartResponse,
  GetMyPageOrderResponse,
  GetMyPageResponse,
  GetOrderResponse,
  GetProductResponse,
  ListCancellationsResponse,
  ListProductsResponse,
  PayOrderResponse,
  PlaceOrderRequest,
  PlaceOrderResponse,
} from './types';

/** The REST routes the storefront uses (the README's API table), typed by the generated messages. */
const path = (template: TemplateStringsArray, ...values: string[]) => template.reduce((joined, part, n) => joined + encodeURIComponent(values[n - 1]) + part);
/** A list's query string: the page size, and the next_page_token of the page before (none for the first). */
const page = (pageSize: number, pageToken: string) => `?pageSize=${pageSize}${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;

export const shop = {
  listProducts: (pageSize: number, pageToken = '') => call<ListProductsResponse>('GET', `/products${page(pageSize, pageToken)}`),
  getProduct: (productId: string) => call<GetProductResponse>('GET', path`/products/${productId}`),
  /** Safe to repeat with the same key: the shop returns the order the first call placed. */
  placeOrder: (request: PlaceOrderRequest, idempotencyKey: string) =>
    call<PlaceOrderResponse>('POST', '/orders', { body: request, headers: { 'idempotency-key': idempotencyKey } }),
  getOrder: (orderId: string) => call<GetOrderResponse>('GET', path`/orders/${orderId}`),
  payOrder: (orderId: string, card: Card) => call<PayOrderResponse>('POST', `${path`/orders/${orderId}`}:pay`, { body: { card } }),
  cancelOrder: (orderId: string, reason: string) => call<CancelOrderResponse>('POST', `${path`/orders/${orderId}`}:cancel`, { body: { reason } }),
  getCart: (customerId: string) => call<GetCartResponse>('GET', path`/carts/${customerId}`),
  listCancellations: (customerId: string) => call<ListCancellationsResponse>('GET', `${path`/carts/${customerId}`}/cancellations${page(20, '')}`),
  getMyPage: (customerId: string, pageToken = '') => call<GetMyPageResponse>('GET', `${path`/mypages/${customerId}`}${page(20, pageToken)}`),
  getMyPageOrder: (customerId: string, orderId: string) => call<GetMyPageOrderResponse>('GET', path`/mypages/${customerId}/orders/${orderId}`),
};
