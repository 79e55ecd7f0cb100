import type { Transaction } from 'sequelize';
import { newestFirst } from '@funshop/platform/db/keyset';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import { ConcurrentModification } from '@funshop/platform/errors';
import { CartOrder, type CartItem, type CartStatus } from '../../domain/cart-order';
import type { Cancellation, CancellationRepository, CartOrderRepository } from '../../app/ports';
import { CancellationRow, CartOrderRow } from './models';

export class SequelizeCartOrderRepository implements CartOrderRepository {
  constructor(private readonly transaction?: Transaction) {}

  async find(orderId: string): Promise<CartOrder | undefined> {
    const row = await CartOrderRow.findByPk(orderId, { transaction: this.transaction });
    return row ? toCartOrder(row) : undefined;
  }

  async save(cartOrder: CartOrder, readVersion: number): Promise<void> {
    const state = cartOrder.snapshot;
    const row = {
      orderId: state.orderId,
      customerId: state.customerId,
      status: state.status,
      placed: state.placed,
      version: state.version,
      createdAt: state.createdAt,
      updatedAt: state.updatedAt,
      cancelReason: state.cancelReason,
      items: [...state.items],
    };
    if (readVersion === 0) {
      // A concurrent first event for the same order collides on the primary key and is retried.
      await CartOrderRow.create(row, { transaction: this.transaction });
      return;
    }
    const [affected] = await CartOrderRow.update(row, { where: { orderId: state.orderId, version: readVersion }, transaction: this.transaction });
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
