import type { Transaction } from 'sequelize';
import type { Outbox } from '@funshop/platform/messaging/outbox';
import { PaymentCancelled, PaymentDeclined } from '@funshop/proto/funshop/payment/v1/payment_events';
import type { PaymentEvents } from '../../app/ports';
import type { Payment } from '../../domain/payment';

/** Payment events as protobuf rows in the outbox, inside the caller's transaction. */
export class OutboxPaymentEvents implements PaymentEvents {
  constructor(
    private readonly outbox: Outbox,
    private readonly transaction: Transaction,
  ) {}

  declined(payment: Payment): Promise<void> {
    const s = payment.snapshot;
    const payload = PaymentDeclined.encode({
      paymentId: s.paymentId,
      orderId: s.orderId,
      customerId: s.customerId,
      amountKrw: s.amountKrw,
      reason: s.declineReason ?? '',
      declineTime: s.updatedAt,
    }).finish();
    return this.append(payment, 'funshop.payment.v1.PaymentDeclined', payload);
  }

  cancelled(payment: Payment): Promise<void> {
    const s = payment.snapshot;
    const payload = PaymentCancelled.encode({
      paymentId: s.paymentId,
      orderId: s.orderId,
      customerId: s.customerId,
      amountKrw: s.amountKrw,
      reason: s.cancelReason ?? '',
      cancelTime: s.updatedAt,
    }).finish();
    return this.append(payment, 'funshop.payment.v1.PaymentCancelled', payload);
  }

  private append(payment: Payment, eventType: string, payload: Uint8Array): Promise<void> {
    const s = payment.snapshot;
    return this.outbox.append(this.transaction, [{ eventType, aggregateType: 'payment', aggregateId: s.paymentId, sequence: s.version, payload }]);
  }
}
