import { useState } from 'preact/hooks';
import { shop } from '../api/shop';
import type { MyPageOrder } from '../api/types';
import { ErrorNotice } from '../components/errors';
import { forCustomer } from '../components/layout';
import { MyPageStates } from '../components/status';
import { formatTime, formatWon } from '../format';
import { settled } from '../settled';
import { useRequest } from '../use-request';

/**
 * The my page (the seed's requirement 7): every order with its order, payment and cart states, as
 * the customer service projects them from the events. While any order's states disagree, the
 * events are still settling, and the page asks again every second.
 */
export const MyPage = forCustomer({ title: 'My page', what: 'Your my page' }, function MyPageOf({ session: { customerId } }) {
  const [pages, setPages] = useState(1);
  const page = useRequest(`my-page:${customerId}:${pages}`, () => firstPages(customerId, pages), {
    everyMs: 1_000,
    while: ({ orders }) => orders.some((order) => !settled(order)),
  });
  const orders = page.data?.orders;
  const settling = orders?.some((order) => !settled(order));
  return (
    <section aria-labelledby="my-page-heading">
      <h1 id="my-page-heading">My page</h1>
      <ErrorNotice error={page.error} />
      <p aria-live="polite" class="hint">
        {orders === undefined ? 'Loading…' : settling ? 'Updating as the shop processes your orders…' : 'Up to date.'}
      </p>
      {orders?.length === 0 && (
        <p>
          No orders yet. <a href="/">Choose products</a> to place one.
        </p>
      )}
      <ul class="my-orders">
        {orders?.map((order) => (
          <MyPageEntry key={order.orderId} order={order} />
        ))}
      </ul>
      {page.data?.nextPageToken && (
        <button type="button" onClick={() => setPages(pages + 1)}>
          Show older orders
        </button>
      )}
    </section>
  );
});

function MyPageEntry({ order }: { order: MyPageOrder }) {
  return (
    <li class="my-order" aria-labelledby={`my-order-${order.orderId}`}>
      <h2 id={`my-order-${order.orderId}`}>
        <a href={`/shop/orders/${encodeURIComponent(order.orderId)}`}>Order {order.orderId.slice(0, 8)}</a>
      </h2>
      <p>
        {formatTime(order.createTime)} · {order.items.map((item) => `${item.quantity} × ${item.productName}`).join(', ')} ·{' '}
        <strong>{formatWon(order.totalKrw)}</strong>
      </p>
      <MyPageStates entry={order} />
    </li>
  );
}

/** The first `count` pages of the my page, as one list (refreshed together). */
async function firstPages(customerId: string, count: number): Promise<{ orders: MyPageOrder[]; nextPageToken: string }> {
  const orders: MyPageOrder[] = [];
  let pageToken = '';
  for (let n = 0; n < count; n++) {
    const page = await shop.getMyPage(customerId, pageToken);
    orders.push(...(page.myPage?.orders ?? []));
    pageToken = page.nextPageToken;
    if (!pageToken) break;
  }
  return { orders, nextPageToken: pageToken };
}
