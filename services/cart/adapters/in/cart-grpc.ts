import type { AsyncService } from '@funshop/platform/grpc/handlers';
import { customerIdOf } from '@funshop/platform/grpc/identity';
import type { CartServiceService } from '@funshop/proto/funshop/cart/v1/cart';
import { CartItemStatus } from '@funshop/proto/funshop/cart/v1/cart';
import type { CartQueries } from '../../app/cart-queries';
import type { CartOrderRepository } from '../../app/ports';
import { toProtoCancellation, toProtoItems } from '../protobuf-mapping';

export function cartGrpcService(queries: CartQueries, cartOrders: CartOrderRepository): AsyncService<typeof CartServiceService> {
  return {
    async getCart(request, context) {
      const items = (await queries.cart(customerIdOf(context), request.customerId)).flatMap(toProtoItems);
      const awaitingPaymentKrw = items
        .filter((item) => item.status === CartItemStatus.CART_ITEM_STATUS_AWAITING_PAYMENT)
        .reduce((sum, item) => sum + item.unitPriceKrw * item.quantity, 0);
      return { cart: { customerId: request.customerId, items, awaitingPaymentKrw } };
    },
    async listCancellations(request, context) {
      const page = await queries.listCancellations(customerIdOf(context), request);
      const cancellations = await Promise.all(
        page.items.map(async (cancellation) => {
          const cartOrder = await cartOrders.find(cancellation.orderId);
          return toProtoCancellation(cancellation, cartOrder ? toProtoItems(cartOrder) : []);
        }),
      );
      return { cancellations, nextPageToken: page.nextPageToken };
    },
  };
}
