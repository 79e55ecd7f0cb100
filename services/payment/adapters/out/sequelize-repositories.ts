import { UniqueConstraintError, type InferAttributes, type Transaction } from 'sequelize';
import { newestFirst } from '@funshop/platform/db/keyset';
import { pointReads, transactionOf, type PointReads, type RepositoryScope } from '@funshop/platform/db/read-coalescer';
import type { Statements } from '@funshop/platform/db/statements';
import { columnsOf } from '@funshop/platform/db/table-columns';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import { ConcurrentModification } from '@funshop/platform/errors';
import { Payment, type PaymentStatus } from '../../domain/payment';
import { ApprovalTaken, type EndedOrders, type PaymentRepository } from '../../app/ports';
import { EndedOrderRow, PaymentRow } from './models';

// Finding, charging and refunding a payment are fixed SQL run as prepared statements (see
// Statements), with their columns from the model (TableColumns); the keyset-paginated listing and
// the rare ended-order upsert keep the model API.

type PaymentRecord = InferAttributes<PaymentRow>;

export class SequelizePaymentRepository implements PaymentRepository {
  private readonly transaction?: Transaction;
  private readonly byId: PointReads<string, PaymentRecord>;
  private readonly payments = columnsOf<PaymentRecord>(PaymentRow);

  constructor(
    private readonly statements: Statements,
    scope: RepositoryScope,
  ) {
    this.transaction = transactionOf(scope);
    this.byId = pointReads('payment', scope, (ids) =>
      this.statements.rowsByKey<PaymentRecord>(
        ids,
        (list) => `SELECT ${this.payments.select()} FROM payments WHERE payment_id IN (${list})`,
        (row) => row.paymentId,
        this.transaction,
      ),
    );
  }

  async find(paymentId: string): Promise<Payment | undefined> {
    const row = await this.byId.one(paymentId);
    return row && toPayment(row);
  }

  async findApprovedForOrder(orderId: string): Promise<Payment | undefined> {
    // Inside a transaction the row stays locked until it ends: a concurrent refund or charge waits.
    const [row] = await this.statements.rows<PaymentRecord>(
      `SELECT ${this.payments.select()} FROM payments WHERE charged_order_id = ? AND status = 'APPROVED'${this.transaction ? ' FOR UPDATE' : ''}`,
      [orderId],
      this.transaction,
    );
    return row ? toPayment(row) : undefined;
  }

  async insert(payment: Payment): Promise<void> {
    const row = toRow(payment);
    try {
      await this.statements.execute(this.payments.insert(), this.payments.values(row), this.transaction);
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new ApprovalTaken(`order ${payment.snapshot.orderId} already has a charged payment`);
      throw error;
    }
  }

  async update(payment: Payment, readVersion: number): Promise<void> {
    const row = toRow(payment);
    const affected = await this.statements.execute(
      this.payments.update('paymentId', { where: 'version = ?' }),
      [...this.payments.updateValues(row, 'paymentId'), readVersion],
      this.transaction,
    );
    if (affected !== 1) throw new ConcurrentModification(`payment ${row.paymentId} changed concurrently`);
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
  constructor(
    private readonly statements: Statements,
    private readonly transaction: Transaction,
  ) {}

  async hasEnded(orderId: string): Promise<boolean> {
    // A shared lock: an order ending concurrently waits for this charge to commit, or the reverse.
    const rows = await this.statements.rows(`SELECT 1 FROM ended_orders WHERE order_id = ? LOCK IN SHARE MODE`, [orderId], this.transaction);
    return rows.length > 0;
  }

  async record(orderId: string, reason: string): Promise<void> {
    await EndedOrderRow.upsert({ orderId, reason, endedAt: new Date() }, { transaction: this.transaction });
  }
}

function toRow(payment: Payment): PaymentRecord {
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

function toPayment(row: PaymentRecord): Payment {
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
