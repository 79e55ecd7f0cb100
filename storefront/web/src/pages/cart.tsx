import { shop } from '../api/shop';
import type { CartItem } from '../api/types';
import { ErrorNotice } from '../components/errors';
import { forCustomer } from '../components/layout';
import { CartStatusBadge } from '../components/status';
import { formatTime, formatWon } from '../format';
import { useRequest } from '../use-request';

/** The cart service's own answer: the products of each order with their state, and the cancellations. */
export const CartPage = forCustomer({ title: 'Cart', what: 'Your cart' }, function Cart({ session: { customerId } }) {
  const cart = useRequest(`cart:${customerId}`, () => shop.getCart(customerId));
  const cancellations = useRequest(`cancellations:${customerId}`, () => shop.listCancellations(customerId));
  const items = cart.data?.cart?.items ?? [];
  return (
    <section aria-labelledby="cart-heading">
      <h1 id="cart-heading">Cart</h1>
      <ErrorNotice error={cart.error} />
      {cart.data && (
        <>
          <p>
            Awaiting payment: <strong>{formatWon(cart.data.cart?.awaitingPaymentKrw ?? 0)}</strong>
          </p>
          {items.length === 0 ? <p>Your cart is empty. Orders you place appear here.</p> : <CartTable items={items} />}
        </>
      )}
      <h2>Cancellations</h2>
      <ErrorNotice error={cancellations.error} />
      {cancellations.data?.cancellations.length === 0 && <p>No cancelled orders.</p>}
      <ul class="cancellations">
        {cancellations.data?.cancellations.map((cancellation) => (
          <li key={cancellation.cancellationId}>
            <a href={`/shop/orders/${encodeURIComponent(cancellation.orderId)}`}>Order {cancellation.orderId.slice(0, 8)}</a> cancelled{' '}
            {formatTime(cancellation.cancelTime)}
            {cancellation.reason && `: ${cancellation.reason}`} ({cancellation.items.map((item) => `${item.quantity} × ${item.productName}`).join(', ')})
          </li>
        ))}
      </ul>
    </section>
  );
});

function CartTable({ items }: { items: CartItem[] }) {
  return (
    <table class="lines">
      <caption class="visually-hidden">Products in your cart, by order</caption>
      <thead>
        <tr>
          <th scope="col">Product</th>
          <th scope="col">Quantity</th>
          <th scope="col">Price</th>
          <th scope="col">Status</th>
          <th scope="col">Order</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={`${item.orderId}:${item.productId}`}>
            <td>{item.productName}</td>
            <td>{item.quantity}</td>
            <td>{formatWon(item.unitPriceKrw)}</td>
            <td>
              <CartStatusBadge status={item.status} />
            </td>
            <td>
              <a href={`/shop/orders/${encodeURIComponent(item.orderId)}`} aria-label={`Order ${item.orderId}`}>
                {item.orderId.slice(0, 8)}
              </a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
