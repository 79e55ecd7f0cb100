import { shop } from '../api/shop';
import { OrderStatus } from '../api/types';
import { CancelForm } from '../components/cancel-form';
import { ErrorNotice } from '../components/errors';
import { forCustomer } from '../components/layout';
import { OrderProgress } from '../components/order-progress';
import { PayForm } from '../components/pay-form';
import { OrderStatusBadge } from '../components/status';
import { formatTime, formatWon } from '../format';
import { useRequest } from '../use-request';

/** One order: its lines, paying it, cancelling it, and its progress through the shop. */
export const OrderPage = forCustomer<{ orderId: string }>({ title: 'Order', what: 'Your order' }, function Order({ orderId, session }) {
  const order = useRequest(`order:${orderId}:${session.customerId}`, () => shop.getOrder(orderId));
  const current = order.data?.order;
  return (
    <section aria-labelledby="order-heading">
      <h1 id="order-heading">Order</h1>
      <ErrorNotice error={order.error} />
      {current && (
        <>
          <p class="order-meta">
            <OrderStatusBadge status={current.status} /> <span>Placed {formatTime(current.createTime)}</span> ·{' '}
            <span>
              Order number <code>{current.orderId}</code>
            </span>
          </p>
          <table class="lines">
            <caption class="visually-hidden">Products in this order</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Quantity</th>
                <th scope="col">Price</th>
                <th scope="col">Subtotal</th>
              </tr>
            </thead>
            <tbody>
              {current.lines.map((line) => (
                <tr key={line.productId}>
                  <td>{line.productName}</td>
                  <td>{line.quantity}</td>
                  <td>{formatWon(line.unitPriceKrw)}</td>
                  <td>{formatWon(line.lineTotalKrw)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  Total
                </th>
                <td>{formatWon(current.totalKrw)}</td>
              </tr>
            </tfoot>
          </table>
          {current.status === OrderStatus.ORDER_STATUS_PENDING_PAYMENT && (
            <>
              <p>Pay by {formatTime(current.expireTime)}, or the order expires and its products go back on sale.</p>
              {current.paymentDeclineReason && (
                <p class="notice notice-error">Your last payment was declined: {current.paymentDeclineReason}. You can pay again with another card.</p>
              )}
              <PayForm orderId={orderId} onPaid={(paid) => order.set({ order: paid.order })} onFailed={order.reload} />
            </>
          )}
          {current.status === OrderStatus.ORDER_STATUS_PAID && <p class="notice notice-good">Paid. Thank you!</p>}
          {current.status === OrderStatus.ORDER_STATUS_CANCELLED && (
            <p class="notice">
              Cancelled{current.cancelReason ? `: ${current.cancelReason}` : ''}.{current.paymentId && ' The payment is refunded.'}
            </p>
          )}
          {(current.status === OrderStatus.ORDER_STATUS_PENDING_PAYMENT || current.status === OrderStatus.ORDER_STATUS_PAID) && (
            <CancelForm order={current} onCancelled={(cancelled) => order.set({ order: cancelled })} />
          )}
          <OrderProgress customerId={session.customerId} order={current} />
        </>
      )}
    </section>
  );
});
