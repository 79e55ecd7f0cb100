import { shop } from '../api/shop';
import { BasketPanel } from '../components/basket-panel';
import { ErrorNotice } from '../components/errors';
import { ProductChooser } from '../components/product-card';
import { useRequest, useTitle } from '../use-request';

export function ProductPage({ productId }: { productId: string }) {
  const product = useRequest(`product:${productId}`, () => shop.getProduct(productId));
  useTitle(`${product.data?.product?.name ?? 'Product'}`);
  return (
    <div class="catalog-layout">
      <section>
        <p>
          <a href="/">← Back to the catalog</a>
        </p>
        <ErrorNotice error={product.error} />
        {product.data?.product && <ProductChooser product={product.data.product} heading="h1" />}
      </section>
      <BasketPanel />
    </div>
  );
}
