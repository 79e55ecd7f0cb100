import { ApiError } from '../api/client';
import { shop } from '../api/shop';
import type { MyPageOrder, Order } from '../api/types';
import { settled } from '../settled';
import { useRequest } from '../use-request';
import { ErrorNotice } from './errors';
import { MyPageStates } from './status';

/**
 * The order as the my page shows it: its order, payment and cart states, which the events bring
 * in one by one after a pay or a cancel. Asked again every second until they agree with the order.
 */
export function OrderProgress({ customerId, order }: { customerId: string; order: Order }) {
  const entry = useRequest(`my-page:${order.orderId}`, () => myPageOrder(customerId, order.orderId), {
    everyMs: 1_000,
    while: (current) => !current || current.orderStatus !== order.status || !settled(current),
  });
  const current = entry.data;
  const upToDate = current && current.orderStatus === order.status && settled(current);
  return (
    <section class="progress" aria-labelledby="progress-heading">
      <h2 id="progress-heading">On your my page</h2>
      <ErrorNotice error={entry.error} />
      <p aria-live="polite" class="hint">
        {upToDate ? 'Up to date.' : 'Updating as the shop processes your order…'}
      </p>
      {current && <MyPageStates entry={current} />}
    </section>
  );
}

/** The order's my page entry, or null while the my page has not heard of it yet (404). */
async function myPageOrder(customerId: string, orderId: string): Promise<MyPageOrder | null> {
  try {
    return (await shop.getMyPageOrder(customerId, orderId)).order ?? null;
  } catch (error) {
    if (error instanceof ApiError && error.httpStatus === 404) return null;
    throw error;
  }
}
