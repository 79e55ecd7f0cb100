import type { InferAttributes, Transaction } from 'sequelize';
import { newestFirst } from '@funshop/platform/db/keyset';
import { pointReads, transactionOf, type PointReads, type RepositoryScope } from '@funshop/platform/db/read-coalescer';
import type { Statements } from '@funshop/platform/db/statements';
import { columnsOf } from '@funshop/platform/db/table-columns';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import { MyPageOrder, type CartStatus, type OrderStatus, type PaymentStatus } from '../../domain/my-page-order';
import type { MyPageRepository } from '../../app/ports';
import { MyPageOrderRow } from './models';

// Every event runs lockOrCreate and save: fixed SQL as prepared statements (see Statements), with
// their columns from the model (TableColumns).
// The keyset-paginated listing is assembled from options and keeps the model API.

export type MyPageRecord = InferAttributes<MyPageOrderRow>;
/** As written: the items as JSON text. */
export type MyPageWrite = Omit<MyPageRecord, 'items'> & { items: string };

/** The read model, or its snapshot (what compacted stored events were folded into; see stored-events.ts). */
export type MyPageTable = 'my_page_orders' | 'my_page_snapshot';

export class SequelizeMyPageRepository implements MyPageRepository {
  private readonly transaction?: Transaction;
  private readonly byId: PointReads<string, MyPageRecord>;
  private readonly columns = columnsOf<MyPageWrite>(MyPageOrderRow);

  constructor(
    private readonly statements: Statements,
    scope: RepositoryScope,
    private readonly table: MyPageTable = 'my_page_orders',
  ) {
    this.transaction = transactionOf(scope);
    this.byId = pointReads('my_page_order', scope, (ids) =>
      this.statements.rowsByKey<MyPageRecord>(
        ids,
        (list) => `SELECT ${this.columns.select()} FROM ${table} WHERE order_id IN (${list})`,
        (row) => row.orderId,
        this.transaction,
      ),
    );
  }

  async find(orderId: string): Promise<MyPageOrder | undefined> {
    const row = await this.byId.one(orderId);
    return row && toMyPageOrder(row);
  }

  async lockOrCreate(first: MyPageOrder): Promise<MyPageOrder> {
    // PostgreSQL has no gap locks: a row that does not exist cannot be locked. The insert makes it
    // exist; on a conflict its no-op update takes the row lock instead (after waiting for a
    // concurrent creator to commit) and RETURNING hands back the row as it is: one round trip.
    const row = toRow(first);
    const [locked] = await this.statements.rows<MyPageRecord>(
      `${this.columns.insert({ table: this.table })} ON CONFLICT (order_id) DO UPDATE SET order_id = EXCLUDED.order_id RETURNING ${this.columns.select()}`,
      this.columns.values(row),
      this.transaction,
    );
    return toMyPageOrder(locked);
  }

  async save(order: MyPageOrder): Promise<void> {
    const row = toRow(order);
    await this.statements.execute(this.columns.update('orderId', { table: this.table }), this.columns.updateValues(row, 'orderId'), this.transaction);
  }

  async listByCustomer(customerId: string, limit: number, after: NewestFirstCursor | undefined): Promise<MyPageOrder[]> {
    const rows = await MyPageOrderRow.findAll({
      ...newestFirst({ customerId }, after, 'createdAt', 'orderId', limit),
      raw: true,
      transaction: this.transaction,
    });
    return rows.map(toMyPageOrder);
  }
}

export function toRow(order: MyPageOrder): MyPageWrite {
  return { ...order.snapshot, items: JSON.stringify(order.snapshot.items) };
}

export function toMyPageOrder(row: MyPageRecord): MyPageOrder {
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
  });
}
