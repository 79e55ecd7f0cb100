import { ConcurrentModification, FailedPrecondition } from '@funshop/platform/errors';
import type { Order } from '../domain/order';
import { findOwnOrder } from './get-order';
import type { CardDetails, Clock, PaymentGateway, PaymentResult, UnitOfWork } from './ports';

export interface PayOrderCommand {
  customerId: string;
  orderId: string;
  card: CardDetails | undefined;
}

/**
 * Pays an order by asking the payment service to charge the card (request/response), then
 * records the outcome: approved → PAID with OrderPaid; declined → still awaiting payment, with the
 * reason, answered as FAILED_PRECONDITION. The payment service charges an order at most once, so
 * a retry after a lost answer completes the payment instead of charging again.
 */
export class PayOrder {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly payments: PaymentGateway,
    private readonly clock: Clock,
  ) {}

  async execute(command: PayOrderCommand, signal?: AbortSignal): Promise<{ order: Order; payment: PaymentResult }> {
    const order = await findOwnOrder(this.unitOfWork.repositories.orders, command.customerId, command.orderId);
    order.assertPayable();
    const payment = await this.payments.authorize(
      { orderId: order.orderId, customerId: command.customerId, amountKrw: order.totalKrw, card: command.card },
      signal,
    );
    const recorded = await this.unitOfWork.run(async ({ orders, events }) => {
      // Usually the order is as it was read before the charge, so it is written with that
      // version and not read again. If it changed meanwhile (cancelled or expired while the card
      // was charged), the write is refused and the order read again: then markPaid refuses, and
      // the payment service refunds on the OrderCancelled/OrderExpired event.
      let current = order;
      try {
        await orders.update(current, record(current, payment, this.clock.now()));
      } catch (error) {
        if (!(error instanceof ConcurrentModification)) throw error;
        current = await findOwnOrder(orders, command.customerId, command.orderId);
        await orders.update(current, record(current, payment, this.clock.now()));
      }
      if (payment.approved) await events.paid(current);
      return current;
    }, signal);
    if (!payment.approved) throw new FailedPrecondition(`payment declined: ${payment.declineReason}`);
    return { order: recorded, payment };
  }
}

/** Records the payment's outcome on the order; returns the version the order had before, for the write. */
function record(order: Order, payment: PaymentResult, now: Date): number {
  const readVersion = order.snapshot.version;
  if (payment.approved) order.markPaid(payment.paymentId, now);
  else order.recordDeclinedPayment(payment.declineReason, now);
  return readVersion;
}
