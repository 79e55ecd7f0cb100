import type { AsyncService } from '@funshop/platform/grpc/handlers';
import { customerIdOf } from '@funshop/platform/grpc/identity';
import type { CartServiceService } from '@funshop/proto/funshop/cart/v1/cart';
import type { CartQueries } from '../../app/cart-queries';
import { toProtoCancellation, toProtoItems } from '../protobuf-mapping';

export function cartGrpcService(queries: CartQueries): AsyncService<typeof CartServiceService> {
  return {
    async getCart(request, context) {
      const cart = await queries.cart(customerIdOf(context), request.customerId);
      return { cart: { customerId: request.customerId, items: cart.cartOrders.flatMap(toProtoItems), awaitingPaymentKrw: cart.awaitingPaymentKrw } };
    },
    async listCancellations(request, context) {
      const page = await queries.listCancellations(customerIdOf(context), request);
      const cancellations = page.items.map(({ cancellation, cartOrder }) => toProtoCancellation(cancellation, cartOrder ? toProtoItems(cartOrder) : []));
      return { cancellations, nextPageToken: page.nextPageToken };
    },
  };
}
