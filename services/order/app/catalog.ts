import { InvalidArgument, NotFound } from '@funshop/platform/errors';
import { decodePageToken, fetchPage, pageSizeOf, type Page } from '@funshop/platform/paging';
import type { Product } from '../domain/product';
import type { UnitOfWork } from './ports';

/** Reads of the product catalog. */
export class Catalog {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async getProduct(productId: string): Promise<Product> {
    if (!productId) throw InvalidArgument.of([{ field: 'product_id', description: 'is required' }]);
    const product = (await this.unitOfWork.repositories.products.findMany([productId])).get(productId);
    if (!product) throw new NotFound(`product "${productId}" not found`);
    return product;
  }

  listProducts(query: { pageSize: number; pageToken: string }): Promise<Page<Product>> {
    const pageSize = pageSizeOf(query.pageSize);
    const after = decodePageToken(query.pageToken, 1)?.[0];
    return fetchPage(
      pageSize,
      (limit) => this.unitOfWork.repositories.products.list(limit, after === undefined ? undefined : String(after)),
      (product) => [product.productId],
    );
  }
}
