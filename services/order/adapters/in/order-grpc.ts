import { customerIdOf, idempotencyKeyOf } from '@funshop/platform/grpc/identity';
import type { AsyncService } from '@funshop/platform/grpc/handlers';
import type { OrderServiceService } from '@funshop/proto/funshop/order/v1/order';
import { PaymentStatus } from '@funshop/proto/funshop/payment/v1/payment';
import type { CancelOrder } from '../../app/cancel-order';
import type { GetOrder } from '../../app/get-order';
import type { ListOrders } from '../../app/list-orders';
import type { PayOrder } from '../../app/pay-order';
import type { PlaceOrder } from '../../app/place-order';
import { toProtoOrder } from '../protobuf-mapping';

export interface OrderUseCases {
  placeOrder: PlaceOrder;
  getOrder: GetOrder;
  listOrders: ListOrders;
  cancelOrder: CancelOrder;
  payOrder: PayOrder;
}

export function orderGrpcService(useCases: OrderUseCases): AsyncService<typeof OrderServiceService> {
  return {
    async placeOrder(request, context) {
      const order = await useCases.placeOrder.execute(
        {
          customerId: customerIdOf(context),
          items: request.items.map((item) => ({ productId: item.productId, quantity: item.quantity })),
          idempotencyKey: idempotencyKeyOf(context),
        },
        context.signal,
      );
      return { order: toProtoOrder(order) };
    },
    async getOrder(request, context) {
      const order = await useCases.getOrder.execute({ customerId: customerIdOf(context), orderId: request.orderId });
      return { order: toProtoOrder(order) };
    },
    async listOrders(request, context) {
      const page = await useCases.listOrders.execute({ customerId: customerIdOf(context), ...request });
      return { orders: page.items.map(toProtoOrder), nextPageToken: page.nextPageToken };
    },
    async cancelOrder(request, context) {
      const order = await useCases.cancelOrder.execute({ customerId: customerIdOf(context), orderId: request.orderId, reason: request.reason }, context.signal);
      return { order: toProtoOrder(order) };
    },
    async payOrder(request, context) {
      const { order, payment } = await useCases.payOrder.execute(
        { customerId: customerIdOf(context), orderId: request.orderId, card: request.card },
        context.signal,
      );
      return {
        order: toProtoOrder(order),
        payment: {
          paymentId: payment.paymentId,
          orderId: order.orderId,
          customerId: order.snapshot.customerId,
          amountKrw: payment.amountKrw,
          // PayOrder answers only for an approved payment; a declined one is FAILED_PRECONDITION.
          status: PaymentStatus.PAYMENT_STATUS_APPROVED,
          cardLast4: payment.cardLast4,
          declineReason: '',
          createTime: payment.createdAt,
          updateTime: payment.createdAt,
        },
      };
    },
  };
}
