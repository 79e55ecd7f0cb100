import type { ContractRules } from '@funshop/platform/grpc/handlers';
import { customerId, identifier, pageToken } from '@funshop/platform/grpc/request-rules';
import type { MyPageServiceService } from '@funshop/proto/funshop/customer/v1/my_page';

/** The bounds of the my page's requests, checked before any lookup (platform/grpc/request-rules.ts). */
export const MY_PAGE_REQUEST_RULES: ContractRules<typeof MyPageServiceService> = {
  getMyPage: (request) => [...customerId('customer_id', request.customerId), ...pageToken('page_token', request.pageToken)],
  getMyPageOrder: (request) => [...customerId('customer_id', request.customerId), ...identifier('order_id', request.orderId)],
};
