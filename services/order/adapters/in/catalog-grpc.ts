import type { AsyncService } from '@funshop/platform/grpc/handlers';
import type { CatalogServiceService } from '@funshop/proto/funshop/order/v1/catalog';
import type { Catalog } from '../../app/catalog';
import { toProtoProduct } from '../protobuf-mapping';

export function catalogGrpcService(catalog: Catalog): AsyncService<typeof CatalogServiceService> {
  return {
    async listProducts(request) {
      const page = await catalog.listProducts(request);
      return { products: page.items.map(toProtoProduct), nextPageToken: page.nextPageToken };
    },
    async getProduct(request) {
      return { product: toProtoProduct(await catalog.getProduct(request.productId)) };
    },
  };
}
