export type OrderStatus = 'PENDING_PAYMENT' | 'PAID' | 'CANCELLED' | 'EXPIRED';
export type PaymentStatus = 'NONE' | 'DECLINED' | 'APPROVED' | 'CANCELLED';
export type CartStatus = 'NONE' | 'AWAITING_PAYMENT' | 'ORDER_COMPLETED' | 'CANCELLED';

export interface MyPageItem {
  readonly productId: string;
  readonly productName: string;
  readonly quantity: number;
  readonly unitPriceKrw: number;
}

export interface MyPageOrderState {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly MyPageItem[];
  readonly totalKrw: number;
  readonly orderStatus: OrderStatus;
  readonly paymentStatus: PaymentStatus;
  readonly cartStatus: CartStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly correlationId: string;
  /** Whether OrderPlaced has been applied (later events of the order can overtake it). */
  readonly placed: boolean;
  /** The order aggregate's sequence last applied; older order events change nothing. */
  readonly orderSequence: number;
}

/**
 * The cart's status follows from the order's alone: the cart holds an order's items awaiting
 * payment when it is placed, completes them when it is paid and cancels them when it is cancelled
 * or expires (services/cart, its policies). So the my page applies the same rule to the order
 * events it receives anyway, rather than waiting for the cart to announce each change again.
 */
const CART_STATUS_OF_ORDER: Record<OrderStatus, CartStatus> = {
  PENDING_PAYMENT: 'AWAITING_PAYMENT',
  PAID: 'ORDER_COMPLETED',
  CANCELLED: 'CANCELLED',
  EXPIRED: 'CANCELLED',
};

/** Payments of one order are several aggregates (a declined attempt, then an approved one): their statuses only move forward. */
const PAYMENT_RANK: Record<PaymentStatus, number> = { NONE: 0, DECLINED: 1, APPROVED: 2, CANCELLED: 3 };

/**
 * One order as the customer's my page shows it: a projection of the order's and the payment's
 * events. The order's carry a per-aggregate sequence and a payment's status only moves forward,
 * so duplicate and out-of-order events leave it exactly as the ordered stream would.
 */
export class MyPageOrder {
  private constructor(private state: MyPageOrderState) {}

  static first(orderId: string, customerId: string, at: Date, correlationId: string): MyPageOrder {
    return new MyPageOrder({
      orderId,
      customerId,
      items: [],
      totalKrw: 0,
      orderStatus: 'PENDING_PAYMENT',
      paymentStatus: 'NONE',
      cartStatus: 'NONE',
      createdAt: at,
      updatedAt: at,
      correlationId,
      placed: false,
      orderSequence: 0,
    });
  }

  static restore(state: MyPageOrderState): MyPageOrder {
    return new MyPageOrder(state);
  }

  get snapshot(): MyPageOrderState {
    return this.state;
  }

  placed(sequence: number, placement: { items: MyPageItem[]; totalKrw: number; placedAt: Date; correlationId: string }): void {
    if (!this.state.placed) {
      this.state = {
        ...this.state,
        ...placement,
        placed: true,
        createdAt: placement.placedAt,
        correlationId: placement.correlationId || this.state.correlationId,
      };
    }
    this.orderStatusChanged(sequence, 'PENDING_PAYMENT', placement.placedAt);
  }

  orderStatusChanged(sequence: number, status: OrderStatus, at: Date): void {
    if (sequence <= this.state.orderSequence) return;
    this.state = {
      ...this.state,
      orderStatus: status,
      cartStatus: CART_STATUS_OF_ORDER[status],
      orderSequence: sequence,
      updatedAt: latest(this.state.updatedAt, at),
    };
  }

  /** OrderPaid: the saga's one "paid" fact, so the order is paid and its payment approved. */
  paid(sequence: number, at: Date): void {
    this.orderStatusChanged(sequence, 'PAID', at);
    this.paymentStatusChanged('APPROVED', at);
  }

  paymentStatusChanged(status: PaymentStatus, at: Date): void {
    if (PAYMENT_RANK[status] <= PAYMENT_RANK[this.state.paymentStatus]) return;
    this.state = { ...this.state, paymentStatus: status, updatedAt: latest(this.state.updatedAt, at) };
  }
}

function latest(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}
