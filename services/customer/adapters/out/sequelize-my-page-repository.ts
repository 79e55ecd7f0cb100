import type { Transaction } from 'sequelize';
import { newestFirst } from '@funshop/platform/db/keyset';
import { pointReads, transactionOf, type PointReads, type RepositoryScope } from '@funshop/platform/db/read-coalescer';
import { placeholders, type Statements } from '@funshop/platform/db/statements';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import { MyPageOrder, type CartStatus, type OrderStatus, type PaymentStatus } from '../../domain/my-page-order';
import type { MyPageRepository } from '../../app/ports';
import { MyPageOrderRow } from './models';

// Every event runs lockOrCreate and save: fixed SQL as prepared statements (see Statements).
// The keyset-paginated listing is assembled from options and keeps the model API.

type MyPageRecord = Pick<MyPageOrderRow, keyof ReturnType<typeof toRow>>;

/** PostgreSQL folds unquoted names to lower case: the camelCase aliases are quoted. */
const COLUMNS = `order_id AS "orderId", customer_id AS "customerId", items, total_krw AS "totalKrw",
  order_status AS "orderStatus", payment_status AS "paymentStatus", cart_status AS "cartStatus",
  created_at AS "createdAt", updated_at AS "updatedAt", correlation_id AS "correlationId", placed,
  order_sequence AS "orderSequence", cart_sequence AS "cartSequence"`;

/** The read model, or its snapshot (what compacted stored events were folded into; see stored-events.ts). */
export type MyPageTable = 'my_page_orders' | 'my_page_snapshot';

export class SequelizeMyPageRepository implements MyPageRepository {
  private readonly transaction?: Transaction;
  private readonly byId: PointReads<string, MyPageRecord>;

  constructor(
    private readonly statements: Statements,
    scope: RepositoryScope,
    private readonly table: MyPageTable = 'my_page_orders',
  ) {
    this.transaction = transactionOf(scope);
    this.byId = pointReads('my_page_order', scope, (ids) =>
      this.statements.rowsByKey<MyPageRecord>(
        ids,
        (list) => `SELECT ${COLUMNS} FROM ${table} WHERE order_id IN (${list})`,
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
      `INSERT INTO ${this.table} (order_id, customer_id, items, total_krw, order_status, payment_status, cart_status,
                                   created_at, updated_at, correlation_id, placed, order_sequence, cart_sequence)
       VALUES (${placeholders(13)})
       ON CONFLICT (order_id) DO UPDATE SET order_id = EXCLUDED.order_id
       RETURNING ${COLUMNS}`,
      [
        row.orderId,
        row.customerId,
        JSON.stringify(row.items),
        row.totalKrw,
        row.orderStatus,
        row.paymentStatus,
        row.cartStatus,
        row.createdAt,
        row.updatedAt,
        row.correlationId,
        row.placed,
        row.orderSequence,
        row.cartSequence,
      ],
      this.transaction,
    );
    return toMyPageOrder(locked);
  }

  async save(order: MyPageOrder): Promise<void> {
    const row = toRow(order);
    await this.statements.execute(
      `UPDATE ${this.table} SET customer_id = ?, items = ?, total_krw = ?, order_status = ?, payment_status = ?, cart_status = ?,
                                 created_at = ?, updated_at = ?, correlation_id = ?, placed = ?, order_sequence = ?, cart_sequence = ?
        WHERE order_id = ?`,
      [
        row.customerId,
        JSON.stringify(row.items),
        row.totalKrw,
        row.orderStatus,
        row.paymentStatus,
        row.cartStatus,
        row.createdAt,
        row.updatedAt,
        row.correlationId,
        row.placed,
        row.orderSequence,
        row.cartSequence,
        row.orderId,
      ],
      this.transaction,
    );
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

function toRow(order: MyPageOrder) {
  return { ...order.snapshot, items: [...order.snapshot.items] };
}

function toMyPageOrder(row: MyPageRecord): MyPageOrder {
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
