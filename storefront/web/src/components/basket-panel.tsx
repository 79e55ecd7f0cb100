import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { shop } from '../api/shop';
import { basket, basketTotal, MAX_LINES, useBasket } from '../basket';
import { formatWon } from '../format';
import { useSession } from '../session';
import { ErrorNotice, FieldError } from './errors';
import { QuantityInput } from './quantity';

/** The products chosen so far, and the button that places them as one order. */
export function BasketPanel() {
  const { lines, idempotencyKey } = useBasket();
  const signedIn = useSession();
  const { route } = useLocation();
  const [error, setError] = useState<unknown>();
  const [placing, setPlacing] = useState(false);
  const fields = lines.flatMap((_, n) => [`items[${n}].product_id`, `items[${n}].quantity`]);

  async function place() {
    setPlacing(true);
    setError(undefined);
    try {
      const { order } = await shop.placeOrder({ items: lines.map(({ productId, quantity }) => ({ productId, quantity })) }, idempotencyKey);
      basket.clear();
      route(`/shop/orders/${encodeURIComponent(order!.orderId)}`);
    } catch (failure) {
      setError(failure);
    } finally {
      setPlacing(false);
    }
  }

  return (
    <aside class="basket" aria-labelledby="basket-heading">
      <h2 id="basket-heading">Your order</h2>
      {lines.length === 0 ? (
        <p>Nothing chosen yet. Add products from the catalog.</p>
      ) : (
        <>
          <ul class="basket-lines">
            {lines.map((line, n) => (
              <li key={line.productId}>
                <span class="line-name">{line.name}</span>
                <QuantityInput
                  id={`basket-quantity-${line.productId}`}
                  productName={line.name}
                  where="in your order"
                  value={line.quantity}
                  max={99}
                  describedBy={`basket-error-${n}`}
                  onChange={(quantity) => basket.setQuantity(line, quantity)}
                />
                <span class="line-total">{formatWon(Number(line.priceKrw) * line.quantity)}</span>
                <button type="button" class="link-button" onClick={() => basket.setQuantity(line, 0)} aria-label={`Remove ${line.name}`}>
                  Remove
                </button>
                <FieldError error={error} field={`items[${n}].quantity`} id={`basket-error-${n}`} />
                <FieldError error={error} field={`items[${n}].product_id`} id={`basket-product-error-${n}`} />
              </li>
            ))}
          </ul>
          <p class="total">
            Total <strong>{formatWon(basketTotal(lines))}</strong>
          </p>
          {lines.length > MAX_LINES && <p class="field-error">An order holds at most {MAX_LINES} products.</p>}
          <ErrorNotice error={error} shownFields={fields} />
          {signedIn ? (
            <button type="button" class="primary" disabled={placing || lines.length > MAX_LINES} onClick={place}>
              {placing ? 'Placing your order…' : 'Place order'}
            </button>
          ) : (
            <p>
              <a href="/shop/sign-in?next=/">Sign in</a> to place your order.
            </p>
          )}
        </>
      )}
    </aside>
  );
}
