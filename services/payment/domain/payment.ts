import { InvalidArgument } from '@funshop/platform/errors';
import { validateCard, type CardInput } from './card';

export type PaymentStatus = 'APPROVED' | 'DECLINED' | 'CANCELLED';

export interface PaymentState {
  readonly paymentId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly amountKrw: number;
  readonly status: PaymentStatus;
  readonly cardLast4: string;
  readonly declineReason: string | null;
  readonly cancelReason: string | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * The Payment aggregate: one attempt to charge a card for an order. Approved or declined when it
 * is made; an approved one is refunded (CANCELLED) when its order is cancelled or expires.
 */
export class Payment {
  private constructor(private state: PaymentState) {}

  static authorize(input: { paymentId: string; orderId: string; customerId: string; amountKrw: number; card: CardInput | undefined; now: Date }): Payment {
    if (!input.orderId) throw InvalidArgument.of([{ field: 'order_id', description: 'is required' }]);
    if (!Number.isInteger(input.amountKrw) || input.amountKrw <= 0) {
      throw InvalidArgument.of([{ field: 'amount_krw', description: `must be a positive number of won, got ${input.amountKrw}` }]);
    }
    const card = validateCard(input.card, input.now);
    return new Payment({
      paymentId: input.paymentId,
      orderId: input.orderId,
      customerId: input.customerId,
      amountKrw: input.amountKrw,
      status: card.declineReason ? 'DECLINED' : 'APPROVED',
      cardLast4: card.last4,
      declineReason: card.declineReason ?? null,
      cancelReason: null,
      version: 1,
      createdAt: input.now,
      updatedAt: input.now,
    });
  }

  static restore(state: PaymentState): Payment {
    return new Payment(state);
  }

  get snapshot(): PaymentState {
    return this.state;
  }

  get approved(): boolean {
    return this.state.status === 'APPROVED';
  }

  /** Refunds an approved payment; anything else has nothing to refund. True if this refunded it. */
  refund(reason: string, now: Date): boolean {
    if (this.state.status !== 'APPROVED') return false;
    this.state = { ...this.state, status: 'CANCELLED', cancelReason: reason, version: this.state.version + 1, updatedAt: now };
    return true;
  }
}
