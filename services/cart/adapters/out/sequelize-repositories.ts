import type { Transaction } from 'sequelize';
import { newestFirst } from '@funshop/platform/db/keyset';
import { pointReads, transactionOf, type PointReads, type RepositoryScope } from '@funshop/platform/db/read-coalescer';
import { placeholders, type Statements } from '@funshop/platform/db/statements';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import { ConcurrentModification } from '@funshop/platform/errors';
import { CartOrder, type CartItem, type CartStatus } from '../../domain/cart-order';
import type { Cancellation, CancellationRepository, CartOrderRepository } from '../../app/ports';
import { CancellationRow, CartOrderRow } from './models';

// Every event runs find and save: fixed SQL as prepared statements (see Statements). Listings
// keep the model API.

const CART_ORDER_COLUMNS = `order_id AS orderId, customer_id AS customerId, status, placed, version, created_at AS createdAt,
  updated_at AS updatedAt, cancel_reason AS cancelReason, items`;

export class SequelizeCartOrderRepository implements CartOrderRepository {
  private readonly transaction?: Transaction;
  private readonly byId: PointReads<string, CartOrderRow>;

  constructor(
    private readonly statements: Statements,
    scope: RepositoryScope,
  ) {
    this.transaction = transactionOf(scope);
    this.byId = pointReads('cart_order', scope, (ids) =>
      this.statements.rowsByKey<CartOrderRow>(
        ids,
        (list) => `SELECT ${CART_ORDER_COLUMNS} FROM cart_orders WHERE order_id IN (${list})`,
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
    const state = cartOrder.snapshot;
    const items = JSON.stringify(state.items);
    if (readVersion === 0) {
      // A concurrent first event for the same order collides on the primary key and is retried.
      await this.statements.execute(
        `INSERT INTO cart_orders (order_id, customer_id, status, placed, version, created_at, updated_at, cancel_reason, items)
         VALUES (${placeholders(9)})`,
        [state.orderId, state.customerId, state.status, state.placed, state.version, state.createdAt, state.updatedAt, state.cancelReason, items],
        this.transaction,
      );
      return;
    }
    const affected = await this.statements.execute(
      `UPDATE cart_orders SET customer_id = ?, status = ?, placed = ?, version = ?, created_at = ?, updated_at = ?, cancel_reason = ?, items = ?
        WHERE order_id = ? AND version = ?`,
      [state.customerId, state.status, state.placed, state.version, state.createdAt, state.updatedAt, state.cancelReason, items, state.orderId, readVersion],
      this.transaction,
    );
    if (affected !== 1) throw new ConcurrentModification(`cart entry of order ${state.orderId} changed concurrently`);
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

function toCartOrder(row: CartOrderRow): CartOrder {
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
