import { Op, UniqueConstraintError, literal, type Transaction } from 'sequelize';
import { ConcurrentModification } from '@funshop/platform/errors';
import { Order, type OrderStatus } from '../../domain/order';
import type { Product } from '../../domain/product';
import { IdempotencyKeyTaken, type OrderRepository, type ProductRepository } from '../../app/ports';
import { newestFirst } from '@funshop/platform/db/keyset';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import { OrderLineRow, OrderRow, ProductRow } from './models';

// Reads ask for raw rows: they are mapped to domain objects at once, so building model instances
// (and cloning their values) would be work thrown away on every call.
export class SequelizeProductRepository implements ProductRepository {
  constructor(private readonly transaction?: Transaction) {}

  async findMany(productIds: readonly string[]): Promise<Map<string, Product>> {
    const rows = await ProductRow.findAll({ where: { productId: [...new Set(productIds)] }, raw: true, transaction: this.transaction });
    return new Map(rows.map((row) => [row.productId, toProduct(row)]));
  }

  async list(limit: number, afterProductId: string | undefined): Promise<Product[]> {
    const rows = await ProductRow.findAll({
      where: afterProductId === undefined ? {} : { productId: { [Op.gt]: afterProductId } },
      order: [['productId', 'ASC']],
      limit,
      raw: true,
      transaction: this.transaction,
    });
    return rows.map(toProduct);
  }

  async reserve(productId: string, quantity: number): Promise<boolean> {
    // One conditional UPDATE is atomic: the row lock serialises concurrent reservations and the
    // condition makes the loser see the winner's stock, so stock can never go below zero.
    const [affected] = await ProductRow.update(
      { stock: literal(`stock - ${Number(quantity)}`) },
      { where: { productId, stock: { [Op.gte]: quantity } }, transaction: this.transaction },
    );
    return affected === 1;
  }

  async release(productId: string, quantity: number): Promise<void> {
    await ProductRow.update(
      { stock: literal(`stock + ${Number(quantity)}`) },
      { where: { productId }, transaction: this.transaction },
    );
  }
}

export class SequelizeOrderRepository implements OrderRepository {
  constructor(private readonly transaction?: Transaction) {}

  async find(orderId: string): Promise<Order | undefined> {
    const row = await OrderRow.findByPk(orderId, { raw: true, transaction: this.transaction });
    if (!row) return undefined;
    return (await this.withLines([row]))[0];
  }

  async findByIdempotencyKey(customerId: string, idempotencyKey: string) {
    const row = await OrderRow.findOne({ where: { customerId, idempotencyKey }, raw: true, transaction: this.transaction });
    if (!row) return undefined;
    const [order] = await this.withLines([row]);
    return { order, requestFingerprint: row.requestFingerprint ?? '' };
  }

  async listByCustomer(customerId: string, limit: number, after: NewestFirstCursor | undefined): Promise<Order[]> {
    const rows = await OrderRow.findAll({
      ...newestFirst({ customerId }, after, 'createdAt', 'orderId', limit),
      raw: true,
      transaction: this.transaction,
    });
    return this.withLines(rows);
  }

  async findExpired(now: Date, limit: number): Promise<Order[]> {
    const rows = await OrderRow.findAll({
      where: { status: 'PENDING_PAYMENT', expiresAt: { [Op.lte]: now } },
      order: [['expiresAt', 'ASC']],
      limit,
      raw: true,
      transaction: this.transaction,
    });
    return this.withLines(rows);
  }

  async insert(order: Order, idempotency?: { key: string; requestFingerprint: string }): Promise<void> {
    const state = order.snapshot;
    try {
      await OrderRow.create(
        {
          ...toRow(order),
          idempotencyKey: idempotency?.key ?? null,
          requestFingerprint: idempotency?.requestFingerprint ?? null,
        },
        { transaction: this.transaction },
      );
    } catch (error) {
      if (idempotency && error instanceof UniqueConstraintError) throw new IdempotencyKeyTaken(idempotency.key);
      throw error;
    }
    await OrderLineRow.bulkCreate(
      state.lines.map((line, index) => ({ orderId: state.orderId, lineNo: index + 1, ...line })),
      { transaction: this.transaction },
    );
  }

  async update(order: Order, expectedVersion: number): Promise<void> {
    const { orderId, customerId: _customer, createdAt: _created, ...changes } = toRow(order);
    const [affected] = await OrderRow.update(changes, {
      where: { orderId, version: expectedVersion },
      transaction: this.transaction,
    });
    if (affected !== 1) {
      throw new ConcurrentModification(`order ${orderId} was changed by another request; read it again and retry`);
    }
  }

  private async withLines(rows: OrderRow[]): Promise<Order[]> {
    if (rows.length === 0) return [];
    const lines = await OrderLineRow.findAll({
      where: { orderId: rows.map((row) => row.orderId) },
      order: [
        ['orderId', 'ASC'],
        ['lineNo', 'ASC'],
      ],
      raw: true,
      transaction: this.transaction,
    });
    const linesByOrder = new Map<string, OrderLineRow[]>();
    for (const line of lines) linesByOrder.set(line.orderId, [...(linesByOrder.get(line.orderId) ?? []), line]);
    return rows.map((row) =>
      Order.restore({
        orderId: row.orderId,
        customerId: row.customerId,
        status: row.status as OrderStatus,
        version: row.version,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        expiresAt: row.expiresAt,
        paymentId: row.paymentId,
        paymentDeclineReason: row.paymentDeclineReason,
        cancelReason: row.cancelReason,
        lines: (linesByOrder.get(row.orderId) ?? []).map((line) => ({
          productId: line.productId,
          productName: line.productName,
          unitPriceKrw: Number(line.unitPriceKrw),
          quantity: line.quantity,
        })),
      }),
    );
  }
}

function toProduct(row: ProductRow): Product {
  return { productId: row.productId, name: row.name, priceKrw: Number(row.priceKrw), stock: row.stock };
}

function toRow(order: Order) {
  const state = order.snapshot;
  return {
    orderId: state.orderId,
    customerId: state.customerId,
    status: state.status,
    totalKrw: order.totalKrw,
    version: state.version,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    expiresAt: state.expiresAt,
    paymentId: state.paymentId,
    paymentDeclineReason: state.paymentDeclineReason,
    cancelReason: state.cancelReason,
  };
}
