import type { Transaction } from 'sequelize';
import { newestFirst } from '@funshop/platform/db/keyset';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import { MyPageOrder, type CartStatus, type OrderStatus, type PaymentStatus } from '../../domain/my-page-order';
import type { MyPageRepository } from '../../app/ports';
import { MyPageOrderRow } from './models';

export class SequelizeMyPageRepository implements MyPageRepository {
  constructor(private readonly transaction?: Transaction) {}

  async find(orderId: string): Promise<MyPageOrder | undefined> {
    const row = await MyPageOrderRow.findByPk(orderId, { transaction: this.transaction });
    return row ? toMyPageOrder(row) : undefined;
  }

  async lockOrCreate(first: MyPageOrder): Promise<MyPageOrder> {
    // PostgreSQL has no gap locks: a row that does not exist cannot be locked, so it is made to
    // exist first (a concurrent creator's insert is ignored), then locked.
    await MyPageOrderRow.bulkCreate([toRow(first)], { ignoreDuplicates: true, transaction: this.transaction });
    const row = await MyPageOrderRow.findByPk(first.snapshot.orderId, { transaction: this.transaction, lock: true });
    return toMyPageOrder(row!);
  }

  async save(order: MyPageOrder): Promise<void> {
    await MyPageOrderRow.update(toRow(order), { where: { orderId: order.snapshot.orderId }, transaction: this.transaction });
  }

  async listByCustomer(customerId: string, limit: number, after: NewestFirstCursor | undefined): Promise<MyPageOrder[]> {
    const rows = await MyPageOrderRow.findAll({
      ...newestFirst({ customerId }, after, 'createdAt', 'orderId', limit),
      transaction: this.transaction,
    });
    return rows.map(toMyPageOrder);
  }
}

function toRow(order: MyPageOrder) {
  return { ...order.snapshot, items: [...order.snapshot.items] };
}

function toMyPageOrder(row: MyPageOrderRow): MyPageOrder {
  return MyPageOrder.restore({
    orderId: row.orderId,
    customerId: row.customerId,
    items: row.items,
    totalKrw: Number(row.totalKrw),
    orderStatus: row.orderStatus as OrderStatus,
    paymentStatus: row.paymentStatus as PaymentStatus,
    cartStatus: row.cartStatus as CartStatus,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    correlationId: row.correlationId,
    placed: row.placed,
    orderSequence: row.orderSequence,
    cartSequence: row.cartSequence,
  });
}
