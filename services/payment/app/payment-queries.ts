import { InvalidArgument, NotFound } from '@funshop/platform/errors';
import { decodeNewestFirstCursor, fetchPage, newestFirstCursor, pageSizeOf, type Page } from '@funshop/platform/paging';
import type { Payment } from '../domain/payment';
import type { PaymentRepository } from './ports';

/** Reads of a customer's own payments. */
export class PaymentQueries {
  constructor(private readonly payments: PaymentRepository) {}

  async get(customerId: string, paymentId: string): Promise<Payment> {
    if (!paymentId) throw InvalidArgument.of([{ field: 'payment_id', description: 'is required' }]);
    const payment = await this.payments.find(paymentId);
    if (!payment || payment.snapshot.customerId !== customerId) throw new NotFound(`payment ${paymentId} not found`);
    return payment;
  }

  async list(customerId: string, query: { pageSize: number; pageToken: string }): Promise<Page<Payment>> {
    const pageSize = pageSizeOf(query.pageSize);
    const after = decodeNewestFirstCursor(query.pageToken);
    return fetchPage(
      pageSize,
      (limit) => this.payments.listByCustomer(customerId, limit, after),
      (payment) => newestFirstCursor(payment.snapshot.createdAt, payment.snapshot.paymentId),
    );
  }
}
