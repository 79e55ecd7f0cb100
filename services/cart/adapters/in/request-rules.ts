import type { ContractRules } from '@funshop/platform/grpc/handlers';
import { customerId, pageToken } from '@funshop/platform/grpc/request-rules';
import type { CartServiceService } from '@funshop/proto/funshop/cart/v1/cart';

/** The bounds of the cart's requests, checked before any lookup (platform/grpc/request-rules.ts). */
export const CART_REQUEST_RULES: ContractRules<typeof CartServiceService> = {
  getCart: (request) => customerId('customer_id', request.customerId),
  listCancellations: (request) => [...customerId('customer_id', request.customerId), ...pageToken('page_token', request.pageToken)],
};
