/** Where one order's items stand in the customer's cart. */
export type CartStatus = 'AWAITING_PAYMENT' | 'ORDER_COMPLETED' | 'CANCELLED';

export interface CartItem {
  readonly productId: string;
  readonly productName: string;
  readonly quantity: number;
  readonly unitPriceKrw: number;
}

export interface CartOrderState {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly CartItem[];
  readonly status: CartStatus;
  /** False until OrderPlaced arrived: a later event of the order may overtake it on the way. */
  readonly placed: boolean;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly cancelReason: string | null;
}

/** Statuses only move forward, so events applied in any order end in the same place. */
const RANK: Record<CartStatus, number> = { AWAITING_PAYMENT: 0, ORDER_COMPLETED: 1, CANCELLED: 2 };

/**
 * The CartOrder aggregate: the items of one order in the customer's cart. It is changed by
 * events only (order placed, payment approved, order cancelled or expired) and must end right
 * whatever order they arrive in: a status never moves back, and items arrive with the placement.
 */
export class CartOrder {
  private constructor(private state: CartOrderState) {}

  /** The cart entry of an order first heard of now (through any of its events). */
  static open(orderId: string, customerId: string, at: Date): CartOrder {
    return new CartOrder({
      orderId,
      customerId,
      items: [],
      status: 'AWAITING_PAYMENT',
      placed: false,
      version: 0,
      createdAt: at,
      updatedAt: at,
      cancelReason: null,
    });
  }

  static restore(state: CartOrderState): CartOrder {
    return new CartOrder(state);
  }

  get snapshot(): CartOrderState {
    return this.state;
  }

  /** The order was placed: its items wait for payment (unless a later event got here first). */
  place(items: readonly CartItem[], at: Date): boolean {
    if (this.state.placed) return false;
    return this.change({ items, placed: true }, at);
  }

  /** The order's payment was approved: its items become order-completed. */
  completePayment(at: Date): boolean {
    return this.advance('ORDER_COMPLETED', at, {});
  }

  /** The order was cancelled or expired: its items are cancelled. True if this cancelled them. */
  cancel(reason: string, at: Date): boolean {
    return this.advance('CANCELLED', at, { cancelReason: reason });
  }

  private advance(status: CartStatus, at: Date, changes: Partial<CartOrderState>): boolean {
    if (RANK[status] <= RANK[this.state.status]) return false;
    return this.change({ ...changes, status }, at);
  }

  private change(changes: Partial<CartOrderState>, at: Date): true {
    this.state = { ...this.state, ...changes, version: this.state.version + 1, updatedAt: at };
    return true;
  }
}

/** What the customer's cart still owes: the items of every order awaiting payment. */
export function awaitingPaymentKrw(cartOrders: readonly CartOrder[]): number {
  return cartOrders
    .map((cartOrder) => cartOrder.snapshot)
    .filter((state) => state.status === 'AWAITING_PAYMENT')
    .reduce((sum, state) => sum + state.items.reduce((ofOrder, item) => ofOrder + item.unitPriceKrw * item.quantity, 0), 0);
}
