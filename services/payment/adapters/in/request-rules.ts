import type { ContractRules } from '@funshop/platform/grpc/handlers';
import { card, identifier, pageToken } from '@funshop/platform/grpc/request-rules';
import type { PaymentServiceService } from '@funshop/proto/funshop/payment/v1/payment';

/** The bounds of the payment service's requests, checked before any lookup (platform/grpc/request-rules.ts). */
export const PAYMENT_REQUEST_RULES: ContractRules<typeof PaymentServiceService> = {
  authorizePayment: (request) => [...identifier('order_id', request.orderId), ...card('card', request.card)],
  getPayment: (request) => identifier('payment_id', request.paymentId),
  listPayments: (request) => pageToken('page_token', request.pageToken),
};
