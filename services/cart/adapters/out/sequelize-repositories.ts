import type { InferAttributes, Transaction } from 'sequelize';
import { newestFirst } from '@funshop/platform/db/keyset';
import { pointReads, transactionOf, type PointReads, type RepositoryScope } from '@funshop/platform/db/read-coalescer';
import type { Statements } from '@funshop/platform/db/statements';
import { columnsOf } from '@funshop/platform/db/table-columns';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import { ConcurrentModification } from '@funshop/platform/errors';
import { CartOrder, type CartItem, type CartStatus } from '../../domain/cart-order';
import type { Cancellation, CancellationRepository, CartOrderRepository } from '../../app/ports';
import { CancellationRow, CartOrderRow } from './models';

// Every event runs find and save: fixed SQL as prepared statements (see Statements), with their
// columns from the model (TableColumns). Listings keep the model API.

/** A cart entry as its row holds it: the items are JSON text. */
type CartOrderRecord = Omit<InferAttributes<CartOrderRow>, 'items'> & { items: string };

export class SequelizeCartOrderRepository implements CartOrderRepository {
  private readonly transaction?: Transaction;
  private readonly byId: PointReads<string, CartOrderRecord>;
  private readonly cartOrders = columnsOf<CartOrderRecord>(CartOrderRow);

  constructor(
    private readonly statements: Statements,
    scope: RepositoryScope,
  ) {
    this.transaction = transactionOf(scope);
    this.byId = pointReads('cart_order', scope, (ids) =>
      this.statements.rowsByKey<CartOrderRecord>(
        ids,
        (list) => `SELECT ${this.cartOrders.select()} FROM cart_orders WHERE order_id IN (${list})`,
        (row) => row.orderId,
        this.transaction,
      ),
    );
  }

  async find(orderId: string): Promise<CartOrder | undefined> {
    const row = await this.byId.one(orderId);
    return row && toCartOrder(row);
  }

  async save(cartOrder: CartOrder, readVersion: number): Promise<void> {
    const row: CartOrderRecord = { ...cartOrder.snapshot, items: JSON.stringify(cartOrder.snapshot.items) };
    if (readVersion === 0) {
      // A concurrent first event for the same order collides on the primary key and is retried.
      await this.statements.execute(this.cartOrders.insert(), this.cartOrders.values(row), this.transaction);
      return;
    }
    const affected = await this.statements.execute(
      this.cartOrders.update('orderId', { where: 'version = ?' }),
      [...this.cartOrders.updateValues(row, 'orderId'), readVersion],
      this.transaction,
    );
    if (affected !== 1) throw new ConcurrentModification(`cart entry of order ${row.orderId} changed concurrently`);
  }

  async listByCustomer(customerId: string, limit: number): Promise<CartOrder[]> {
    const rows = await CartOrderRow.findAll({
      where: { customerId },
      order: [
        ['createdAt', 'DESC'],
        ['orderId', 'DESC'],
      ],
      limit,
      transaction: this.transaction,
    });
    return rows.map(toCartOrder);
  }
}

export class SequelizeCancellationRepository implements CancellationRepository {
  constructor(private readonly transaction?: Transaction) {}

  async add(cancellation: Cancellation): Promise<void> {
    await CancellationRow.create({ ...cancellation }, { transaction: this.transaction });
  }

  async listByCustomer(customerId: string, limit: number, after: NewestFirstCursor | undefined): Promise<Cancellation[]> {
    const rows = await CancellationRow.findAll({
      ...newestFirst({ customerId }, after, 'cancelledAt', 'cancellationId', limit),
      transaction: this.transaction,
    });
    return rows.map((row) => row.get({ plain: true }));
  }
}

function toCartOrder(row: CartOrderRecord | CartOrderRow): CartOrder {
  const items = (typeof row.items === 'string' ? JSON.parse(row.items) : row.items) as CartItem[];
  return CartOrder.restore({
    orderId: row.orderId,
    customerId: row.customerId,
    status: row.status as CartStatus,
    placed: Boolean(row.placed),
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    cancelReason: row.cancelReason,
    items,
  });
}
