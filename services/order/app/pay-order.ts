import { FailedPrecondition } from '@funshop/platform/errors';
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
      // Read again: the order may have been cancelled or expired while the card was charged. Then
      // markPaid refuses, and the payment service refunds on the OrderCancelled/OrderExpired event.
      const current = await findOwnOrder(orders, command.customerId, command.orderId);
      const readVersion = current.snapshot.version;
      if (payment.approved) current.markPaid(payment.paymentId, this.clock.now());
      else current.recordDeclinedPayment(payment.declineReason, this.clock.now());
      await orders.update(current, readVersion);
      if (payment.approved) await events.paid(current);
      return current;
    }, signal);
    if (!payment.approved) throw new FailedPrecondition(`payment declined: ${payment.declineReason}`);
    return { order: recorded, payment };
  }
}
