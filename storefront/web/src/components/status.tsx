import { CartItemStatus, OrderStatus, PaymentStatus, type MyPageOrder } from '../api/types';

type Tone = 'wait' | 'good' | 'bad' | 'none';

/** A state in words; the colour only repeats what the words say. */
function Badge({ tone, label }: { tone: Tone; label: string }) {
  return <span class={`badge badge-${tone}`}>{label}</span>;
}

const ORDER: Record<OrderStatus, [string, Tone]> = {
  [OrderStatus.ORDER_STATUS_UNSPECIFIED]: ['Unknown', 'none'],
  [OrderStatus.ORDER_STATUS_PENDING_PAYMENT]: ['Awaiting payment', 'wait'],
  [OrderStatus.ORDER_STATUS_PAID]: ['Paid', 'good'],
  [OrderStatus.ORDER_STATUS_CANCELLED]: ['Cancelled', 'bad'],
  [OrderStatus.ORDER_STATUS_EXPIRED]: ['Expired', 'bad'],
};

const PAYMENT: Record<PaymentStatus, [string, Tone]> = {
  [PaymentStatus.PAYMENT_STATUS_UNSPECIFIED]: ['Not paid', 'none'],
  [PaymentStatus.PAYMENT_STATUS_APPROVED]: ['Approved', 'good'],
  [PaymentStatus.PAYMENT_STATUS_DECLINED]: ['Declined', 'bad'],
  [PaymentStatus.PAYMENT_STATUS_CANCELLED]: ['Refunded', 'none'],
};

const CART: Record<CartItemStatus, [string, Tone]> = {
  [CartItemStatus.CART_ITEM_STATUS_UNSPECIFIED]: ['Not in the cart yet', 'none'],
  [CartItemStatus.CART_ITEM_STATUS_AWAITING_PAYMENT]: ['Awaiting payment', 'wait'],
  [CartItemStatus.CART_ITEM_STATUS_ORDER_COMPLETED]: ['Order completed', 'good'],
  [CartItemStatus.CART_ITEM_STATUS_CANCELLED]: ['Cancelled', 'bad'],
};

export const OrderStatusBadge = ({ status }: { status: OrderStatus }) => <Badge label={ORDER[status][0]} tone={ORDER[status][1]} />;
export const PaymentStatusBadge = ({ status }: { status: PaymentStatus }) => <Badge label={PAYMENT[status][0]} tone={PAYMENT[status][1]} />;
export const CartStatusBadge = ({ status }: { status: CartItemStatus }) => <Badge label={CART[status][0]} tone={CART[status][1]} />;

/** An order as the my page shows it: its order, payment and cart states, and its support reference. */
export function MyPageStates({ entry }: { entry: MyPageOrder }) {
  return (
    <dl class="states">
      <dt>Order</dt>
      <dd>
        <OrderStatusBadge status={entry.orderStatus} />
      </dd>
      <dt>Payment</dt>
      <dd>
        <PaymentStatusBadge status={entry.paymentStatus} />
      </dd>
      <dt>Cart</dt>
      <dd>
        <CartStatusBadge status={entry.cartStatus} />
      </dd>
      <dt>Support reference</dt>
      <dd>
        <code>{entry.correlationId}</code>
      </dd>
    </dl>
  );
}
