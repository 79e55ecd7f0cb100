import { FailedPrecondition, NotFound } from '@funshop/platform/errors';
import type { CardInput } from '../domain/card';
import { Payment } from '../domain/payment';
import { ApprovalTaken, type Clock, type IdGenerator, type UnitOfWork } from './ports';

export interface AuthorizePaymentCommand {
  customerId: string;
  orderId: string;
  amountKrw: number;
  card: CardInput | undefined;
}

/**
 * Charges a card for an order, at most once per order: while an approved payment exists, every
 * further call (a retry, a second click) returns it instead of charging again. An order that is
 * already known to be cancelled is never charged.
 *
 * An approval is answered to the caller and announced by it: the order service publishes
 * OrderPaid when it marks the order paid, the saga's one "paid" fact. A second announcement from
 * here would cost a relay pass and a delivery to every consumer, and could tell of a charge whose
 * order then expires instead (its refund follows from OrderExpired). A decline changes no order,
 * so it is announced here (PaymentDeclined), for the my page.
 */
export class AuthorizePayment {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async execute(command: AuthorizePaymentCommand, signal?: AbortSignal): Promise<Payment> {
    try {
      return await this.unitOfWork.run(async ({ payments, endedOrders, events, receipts }) => {
        const payment = Payment.authorize({ ...command, paymentId: this.ids.newId(), now: this.clock.now() });
        // The card is judged here, by the test-card rules (domain/card.ts), so judging it again
        // charges nothing. An approval is then not looked for first: the order's one approved
        // payment is a unique key, so the insert refuses a second (ApprovalTaken below), and the
        // first is the answer. A decline is looked for first: it must not hide an earlier
        // approval from a retry. (A real card processor would be called with the order id as its
        // idempotency key, so that a retry is not charged twice there either.)
        if (!payment.approved) {
          const earlier = await payments.findApprovedForOrder(command.orderId);
          if (earlier) return ownedBy(earlier, command.customerId);
        }
        if (await endedOrders.hasEnded(command.orderId)) {
          throw new FailedPrecondition(`order ${command.orderId} was cancelled; it cannot be paid`);
        }
        await payments.insert(payment);
        if (payment.approved) receipts.issueAfterCommit(payment);
        else await events.declined(payment);
        return payment;
      }, signal);
    } catch (error) {
      // A concurrent call for the same order was approved first: that is the order's payment.
      if (!(error instanceof ApprovalTaken)) throw error;
      const approved = await this.unitOfWork.run(({ payments }) => payments.findApprovedForOrder(command.orderId));
      if (!approved) throw new FailedPrecondition(`order ${command.orderId} was charged and refunded; it cannot be paid again`);
      return ownedBy(approved, command.customerId);
    }
  }
}

function ownedBy(payment: Payment, customerId: string): Payment {
  if (payment.snapshot.customerId !== customerId) throw new NotFound(`order ${payment.snapshot.orderId} not found`);
  return payment;
}
