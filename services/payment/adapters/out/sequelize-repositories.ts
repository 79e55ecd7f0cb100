import { Transaction, UniqueConstraintError } from 'sequelize';
import { newestFirst } from '@funshop/platform/db/keyset';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import { ConcurrentModification } from '@funshop/platform/errors';
import { Payment, type PaymentStatus } from '../../domain/payment';
import { ApprovalTaken, type EndedOrders, type PaymentRepository } from '../../app/ports';
import { EndedOrderRow, PaymentRow } from './models';

export class SequelizePaymentRepository implements PaymentRepository {
  constructor(private readonly transaction?: Transaction) {}

  async find(paymentId: string): Promise<Payment | undefined> {
    const row = await PaymentRow.findByPk(paymentId, { transaction: this.transaction });
    return row ? toPayment(row) : undefined;
  }

  async findApprovedForOrder(orderId: string): Promise<Payment | undefined> {
    const row = await PaymentRow.findOne({
      where: { chargedOrderId: orderId, status: 'APPROVED' },
      transaction: this.transaction,
      lock: this.transaction ? Transaction.LOCK.UPDATE : undefined,
    });
    return row ? toPayment(row) : undefined;
  }

  async insert(payment: Payment): Promise<void> {
    try {
      await PaymentRow.create(toRow(payment), { transaction: this.transaction });
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new ApprovalTaken(`order ${payment.snapshot.orderId} already has a charged payment`);
      throw error;
    }
  }

  async update(payment: Payment, readVersion: number): Promise<void> {
    const { paymentId, ...changes } = toRow(payment);
    const [affected] = await PaymentRow.update(changes, { where: { paymentId, version: readVersion }, transaction: this.transaction });
    if (affected !== 1) throw new ConcurrentModification(`payment ${paymentId} changed concurrently`);
  }

  async listByCustomer(customerId: string, limit: number, after: NewestFirstCursor | undefined): Promise<Payment[]> {
    const rows = await PaymentRow.findAll({
      ...newestFirst({ customerId }, after, 'createdAt', 'paymentId', limit),
      transaction: this.transaction,
    });
    return rows.map(toPayment);
  }
}

export class SequelizeEndedOrders implements EndedOrders {
  constructor(private readonly transaction: Transaction) {}

  async hasEnded(orderId: string): Promise<boolean> {
    const row = await EndedOrderRow.findByPk(orderId, { transaction: this.transaction, lock: Transaction.LOCK.SHARE });
    return row !== null;
  }

  async record(orderId: string, reason: string): Promise<void> {
    await EndedOrderRow.upsert({ orderId, reason, endedAt: new Date() }, { transaction: this.transaction });
  }
}

function toRow(payment: Payment) {
  const state = payment.snapshot;
  return {
    paymentId: state.paymentId,
    orderId: state.orderId,
    customerId: state.customerId,
    amountKrw: state.amountKrw,
    status: state.status,
    cardLast4: state.cardLast4,
    declineReason: state.declineReason,
    cancelReason: state.cancelReason,
    version: state.version,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    chargedOrderId: state.status === 'DECLINED' ? null : state.orderId,
  };
}

function toPayment(row: PaymentRow): Payment {
  return Payment.restore({
    paymentId: row.paymentId,
    orderId: row.orderId,
    customerId: row.customerId,
    amountKrw: Number(row.amountKrw),
    status: row.status as PaymentStatus,
    cardLast4: row.cardLast4,
    declineReason: row.declineReason,
    cancelReason: row.cancelReason,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  });
}
