import { FailedPrecondition, InvalidArgument, type FieldViolation } from '@funshop/platform/errors';
import type { Product } from './product';

export type OrderStatus = 'PENDING_PAYMENT' | 'PAID' | 'CANCELLED' | 'EXPIRED';

export const ORDER_RULES = {
  maxLines: 50,
  minQuantity: 1,
  maxQuantity: 99,
  maxCancelReasonLength: 200,
} as const;

/** Which status may follow which; everything else is an illegal transition. */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING_PAYMENT: ['PAID', 'CANCELLED', 'EXPIRED'],
  PAID: ['CANCELLED'],
  CANCELLED: [],
  EXPIRED: [],
};

export interface OrderLine {
  readonly productId: string;
  readonly productName: string;
  readonly unitPriceKrw: number;
  readonly quantity: number;
}

export interface RequestedItem {
  readonly productId: string;
  readonly quantity: number;
}

export interface OrderState {
  readonly orderId: string;
  readonly customerId: string;
  readonly lines: readonly OrderLine[];
  readonly status: OrderStatus;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly expiresAt: Date;
  readonly paymentId: string | null;
  readonly paymentDeclineReason: string | null;
  readonly cancelReason: string | null;
}

/**
 * The Order aggregate: what a customer bought, at which prices, and where it stands. Its rules
 * live here and nowhere else; persistence and transport only load and save its state.
 */
export class Order {
  private constructor(private state: OrderState) {}

  /**
   * A new order for products of the catalog. Prices and names are copied from the catalog as
   * they are now, so later price changes do not alter what the customer agreed to pay.
   */
  static place(input: {
    orderId: string;
    customerId: string;
    items: readonly RequestedItem[];
    catalog: ReadonlyMap<string, Product>;
    now: Date;
    paymentWindowMs: number;
  }): Order {
    const violations = validateItems(input.items, input.catalog);
    if (violations.length > 0) throw InvalidArgument.of(violations);
    const lines = input.items.map((item): OrderLine => {
      const product = input.catalog.get(item.productId)!;
      return { productId: product.productId, productName: product.name, unitPriceKrw: product.priceKrw, quantity: item.quantity };
    });
    return new Order({
      orderId: input.orderId,
      customerId: input.customerId,
      lines,
      status: 'PENDING_PAYMENT',
      version: 1,
      createdAt: input.now,
      updatedAt: input.now,
      expiresAt: new Date(input.now.getTime() + input.paymentWindowMs),
      paymentId: null,
      paymentDeclineReason: null,
      cancelReason: null,
    });
  }

  static restore(state: OrderState): Order {
    return new Order(state);
  }

  get snapshot(): OrderState {
    return this.state;
  }

  get orderId(): string {
    return this.state.orderId;
  }

  get status(): OrderStatus {
    return this.state.status;
  }

  get totalKrw(): number {
    return this.state.lines.reduce((sum, line) => sum + lineTotalKrw(line), 0);
  }

  /** Cancels an order awaiting payment or paid; a paid order's payment is then refunded. */
  cancel(reason: string, now: Date): void {
    if (reason.length > ORDER_RULES.maxCancelReasonLength) {
      throw InvalidArgument.of([{ field: 'reason', description: `must be at most ${ORDER_RULES.maxCancelReasonLength} characters` }]);
    }
    this.transition('CANCELLED', now, { cancelReason: reason });
  }

  markPaid(paymentId: string, now: Date): void {
    this.transition('PAID', now, { paymentId, paymentDeclineReason: null });
  }

  /** Payment can only be attempted while the order awaits it. */
  assertPayable(): void {
    this.assertCanBecome('PAID');
  }

  /** A declined payment leaves the order awaiting payment; the reason is kept for the customer. */
  recordDeclinedPayment(reason: string, now: Date): void {
    this.assertPayable();
    this.state = { ...this.state, paymentDeclineReason: reason, version: this.state.version + 1, updatedAt: now };
  }

  expire(now: Date): void {
    this.assertCanBecome('EXPIRED');
    if (now < this.state.expiresAt) {
      throw new FailedPrecondition(`order ${this.state.orderId} does not expire before ${this.state.expiresAt.toISOString()}`);
    }
    this.transition('EXPIRED', now, {});
  }

  private assertCanBecome(next: OrderStatus): void {
    if (!TRANSITIONS[this.state.status].includes(next)) {
      throw new FailedPrecondition(`order ${this.state.orderId} is ${describe(this.state.status)}; it cannot become ${describe(next)}`);
    }
  }

  private transition(next: OrderStatus, now: Date, changes: Partial<OrderState>): void {
    this.assertCanBecome(next);
    this.state = { ...this.state, ...changes, status: next, version: this.state.version + 1, updatedAt: now };
  }
}

export function lineTotalKrw(line: OrderLine): number {
  return line.unitPriceKrw * line.quantity;
}

function describe(status: OrderStatus): string {
  return status.toLowerCase().replace('_', ' ');
}

function validateItems(items: readonly RequestedItem[], catalog: ReadonlyMap<string, Product>): FieldViolation[] {
  if (items.length === 0) return [{ field: 'items', description: 'an order needs at least one item' }];
  if (items.length > ORDER_RULES.maxLines) {
    return [{ field: 'items', description: `an order has at most ${ORDER_RULES.maxLines} items, got ${items.length}` }];
  }
  const violations: FieldViolation[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const at = `items[${index}]`;
    if (!item.productId) violations.push({ field: `${at}.product_id`, description: 'is required' });
    else if (!catalog.has(item.productId)) violations.push({ field: `${at}.product_id`, description: `unknown product "${item.productId}"` });
    else if (seen.has(item.productId))
      violations.push({ field: `${at}.product_id`, description: `product "${item.productId}" appears twice; combine the quantities` });
    seen.add(item.productId);
    if (!Number.isInteger(item.quantity) || item.quantity < ORDER_RULES.minQuantity || item.quantity > ORDER_RULES.maxQuantity) {
      violations.push({ field: `${at}.quantity`, description: `must be ${ORDER_RULES.minQuantity}..${ORDER_RULES.maxQuantity}, got ${item.quantity}` });
    }
  });
  return violations;
}
