import { useState } from 'preact/hooks';
import type { Product } from '../api/types';
import { basket, useBasket } from '../basket';
import { formatWon } from '../format';
import { QuantityInput } from './quantity';

/** A product with its price and stock, and how many of it to put in the next order. */
export function ProductChooser({ product, heading: Heading = 'h2' }: { product: Product; heading?: 'h1' | 'h2' }) {
  const chosen = useBasket().lines.find((line) => line.productId === product.productId);
  const [quantity, setQuantity] = useState(chosen?.quantity ?? 1);
  const soldOut = product.stock < 1;
  return (
    <article class="product" aria-labelledby={`product-${product.productId}`}>
      <Heading id={`product-${product.productId}`}>
        {Heading === 'h2' ? <a href={`/shop/products/${encodeURIComponent(product.productId)}`}>{product.name}</a> : product.name}
      </Heading>
      <p class="price">{formatWon(product.priceKrw)}</p>
      <p class="stock">{soldOut ? 'Sold out' : `${product.stock} in stock`}</p>
      {!soldOut && (
        <form
          class="choose"
          onSubmit={(event) => {
            event.preventDefault();
            basket.setQuantity(product, quantity);
          }}
        >
          <QuantityInput id={`quantity-${product.productId}`} productName={product.name} value={quantity} max={product.stock} onChange={setQuantity} />
          <button type="submit">{chosen ? 'Update order' : 'Add to order'}</button>
        </form>
      )}
      {chosen && <p class="chosen">{chosen.quantity} in your order</p>}
    </article>
  );
}
