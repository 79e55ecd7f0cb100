import type { AsyncService } from '@funshop/platform/grpc/handlers';
import { customerIdOf } from '@funshop/platform/grpc/identity';
import type { MyPageServiceService } from '@funshop/proto/funshop/customer/v1/my_page';
import type { MyPageQueries } from '../../app/my-page-queries';
import { toProtoMyPageOrder } from '../protobuf-mapping';

export function myPageGrpcService(queries: MyPageQueries): AsyncService<typeof MyPageServiceService> {
  return {
    async getMyPage(request, context) {
      const page = await queries.orders(customerIdOf(context), request);
      return { myPage: { customerId: request.customerId, orders: page.items.map(toProtoMyPageOrder) }, nextPageToken: page.nextPageToken };
    },
    async getMyPageOrder(request, context) {
      return { order: toProtoMyPageOrder(await queries.order(customerIdOf(context), request.customerId, request.orderId)) };
    },
  };
}
