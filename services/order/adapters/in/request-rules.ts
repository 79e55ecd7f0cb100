import type { ContractRules } from '@funshop/platform/grpc/handlers';
import { card, identifier, pageToken, text } from '@funshop/platform/grpc/request-rules';
import type { CatalogServiceService } from '@funshop/proto/funshop/order/v1/catalog';
import type { OrderServiceService } from '@funshop/proto/funshop/order/v1/order';
import { ORDER_RULES } from '../../domain/order';

/** The bounds of the catalog's requests, checked before any lookup (platform/grpc/request-rules.ts). */
export const CATALOG_REQUEST_RULES: ContractRules<typeof CatalogServiceService> = {
  listProducts: (request) => pageToken('page_token', request.pageToken),
  getProduct: (request) => identifier('product_id', request.productId),
};

/** The bounds of the order service's requests. */
export const ORDER_REQUEST_RULES: ContractRules<typeof OrderServiceService> = {
  // Past the largest order, no item is looked at: one violation, not one per item.
  placeOrder: (request) =>
    request.items.length > ORDER_RULES.maxLines
      ? [{ field: 'items', description: `an order has at most ${ORDER_RULES.maxLines} items` }]
      : request.items.flatMap((item, n) => identifier(`items[${n}].product_id`, item.productId)),
  getOrder: (request) => identifier('order_id', request.orderId),
  listOrders: (request) => pageToken('page_token', request.pageToken),
  cancelOrder: (request) => [...identifier('order_id', request.orderId), ...text('reason', request.reason, ORDER_RULES.maxCancelReasonLength)],
  payOrder: (request) => [...identifier('order_id', request.orderId), ...card('card', request.card)],
};
