import type { AsyncService } from '@funshop/platform/grpc/handlers';
import { customerIdOf } from '@funshop/platform/grpc/identity';
import type { PaymentServiceService } from '@funshop/proto/funshop/payment/v1/payment';
import type { AuthorizePayment } from '../../app/authorize-payment';
import type { PaymentQueries } from '../../app/payment-queries';
import { toProtoPayment } from '../protobuf-mapping';

export function paymentGrpcService(authorize: AuthorizePayment, queries: PaymentQueries): AsyncService<typeof PaymentServiceService> {
  return {
    async authorizePayment(request, context) {
      const payment = await authorize.execute(
        { customerId: customerIdOf(context), orderId: request.orderId, amountKrw: request.amountKrw, card: request.card },
        context.signal,
      );
      return { payment: toProtoPayment(payment) };
    },
    async getPayment(request, context) {
      return { payment: toProtoPayment(await queries.get(customerIdOf(context), request.paymentId)) };
    },
    async listPayments(request, context) {
      const page = await queries.list(customerIdOf(context), request);
      return { payments: page.items.map(toProtoPayment), nextPageToken: page.nextPageToken };
    },
  };
}
