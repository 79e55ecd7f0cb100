import { useState } from 'preact/hooks';
import { shop } from '../api/shop';
import { BasketPanel } from '../components/basket-panel';
import { ErrorNotice } from '../components/errors';
import { ProductChooser } from '../components/product-card';
import { useRequest, useTitle } from '../use-request';

const PAGE_SIZE = 6;

/** The catalog, a page at a time (the API's page tokens), beside the order being put together. */
export function CatalogPage() {
  // The tokens of the pages before this one, so "Previous" can go back: the API pages forward only.
  const [tokens, setTokens] = useState<string[]>(['']);
  const pageToken = tokens[tokens.length - 1];
  const page = useRequest(`products:${pageToken}`, () => shop.listProducts(PAGE_SIZE, pageToken));
  useTitle('Catalog');
  return (
    <div class="catalog-layout">
      <section aria-labelledby="catalog-heading">
        <h1 id="catalog-heading">Catalog</h1>
        <ErrorNotice error={page.error} />
        {page.loading && !page.data && <p aria-live="polite">Loading products…</p>}
        <div class="products">
          {page.data?.products.map((product) => (
            <ProductChooser key={product.productId} product={product} />
          ))}
        </div>
        <nav class="pager" aria-label="Catalog pages">
          <button type="button" disabled={tokens.length === 1} onClick={() => setTokens(tokens.slice(0, -1))}>
            Previous page
          </button>
          <span aria-live="polite">Page {tokens.length}</span>
          <button type="button" disabled={!page.data?.nextPageToken} onClick={() => setTokens([...tokens, page.data!.nextPageToken])}>
            Next page
          </button>
        </nav>
      </section>
      <BasketPanel />
    </div>
  );
}
