import { Op, UniqueConstraintError, type InferAttributes, type Transaction } from 'sequelize';
import { ConcurrentModification } from '@funshop/platform/errors';
import { groupBy } from '@funshop/platform/group-by';
import { pointReads, transactionOf, type PointReads, type RepositoryScope } from '@funshop/platform/db/read-coalescer';
import { inList, placeholders, type Statements } from '@funshop/platform/db/statements';
import { columnsOf } from '@funshop/platform/db/table-columns';
import { Order, type OrderStatus } from '../../domain/order';
import type { Product } from '../../domain/product';
import { IdempotencyKeyTaken, type OrderRepository, type ProductRepository } from '../../app/ports';
import { newestFirst } from '@funshop/platform/db/keyset';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import { OrderLineRow, OrderRow, ProductRow } from './models';

// The calls every order and every read makes are fixed SQL run as prepared statements (see
// Statements: the model API costs about three times the CPU per query). Queries assembled from
// options (listing, keyset pages) keep the model API, which builds them safely. Both name their
// columns from the models (models.ts), through TableColumns.

type ProductRecord = InferAttributes<ProductRow>;
type OrderRecord = InferAttributes<OrderRow>;
type LineRecord = InferAttributes<OrderLineRow>;
/** An order row joined with one of its lines. */
type OrderWithLineRecord = OrderRecord & Omit<LineRecord, 'orderId'>;

export class SequelizeProductRepository implements ProductRepository {
  private readonly transaction?: Transaction;
  private readonly byId: PointReads<string, ProductRecord>;
  private readonly products = columnsOf<ProductRecord>(ProductRow);

  constructor(
    private readonly statements: Statements,
    scope: RepositoryScope,
  ) {
    this.transaction = transactionOf(scope);
    this.byId = pointReads('product', scope, (ids) =>
      this.statements.rowsByKey<ProductRecord>(
        ids,
        (list) => `SELECT ${this.products.select()} FROM products WHERE product_id IN (${list})`,
        (row) => row.productId,
        this.transaction,
      ),
    );
  }

  async findMany(productIds: readonly string[]): Promise<Map<string, Product>> {
    const records = await this.byId.many(productIds);
    return new Map([...records].map(([productId, row]) => [productId, toProduct(row)]));
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
    const changed = await this.statements.execute(
      'UPDATE products SET stock = stock - ? WHERE product_id = ? AND stock >= ?',
      [quantity, productId, quantity],
      this.transaction,
    );
    return changed === 1;
  }

  async release(productId: string, quantity: number): Promise<void> {
    await this.statements.execute('UPDATE products SET stock = stock + ? WHERE product_id = ?', [quantity, productId], this.transaction);
  }
}

export class SequelizeOrderRepository implements OrderRepository {
  private readonly transaction?: Transaction;
  /** Reads share rows, not orders: each read builds an Order of its own, as callers may change it. */
  private readonly byId: PointReads<string, OrderWithLineRecord[]>;
  private readonly orders = columnsOf<OrderRecord>(OrderRow);
  private readonly lines = columnsOf<LineRecord>(OrderLineRow);

  constructor(
    private readonly statements: Statements,
    scope: RepositoryScope,
  ) {
    this.transaction = transactionOf(scope);
    this.byId = pointReads('order', scope, (ids) => this.records(ids));
  }

  async find(orderId: string): Promise<Order | undefined> {
    const rows = await this.byId.one(orderId);
    return rows && toOrder(rows[0], rows);
  }

  /** Each order's rows: one per line (an order always has lines), each with the order's columns. */
  private async records(orderIds: string[]): Promise<Map<string, OrderWithLineRecord[]>> {
    const ids = inList(orderIds);
    const rows = await this.statements.rows<OrderWithLineRecord>(
      `SELECT ${this.orders.select('o')}, ${this.lines.select('l', ['orderId'])} FROM orders o JOIN order_lines l ON l.order_id = o.order_id
        WHERE o.order_id IN (${ids.sql}) ORDER BY o.order_id, l.line_no`,
      ids.params,
      this.transaction,
    );
    return groupBy(rows, (row) => row.orderId);
  }

  async findByIdempotencyKey(customerId: string, idempotencyKey: string) {
    const [row] = await this.statements.rows<OrderRecord & { requestFingerprint: string }>(
      `SELECT ${this.orders.select('o')}, k.request_fingerprint AS requestFingerprint
         FROM idempotency_keys k JOIN orders o ON o.order_id = k.order_id
        WHERE k.customer_id = ? AND k.idempotency_key = ?`,
      [customerId, idempotencyKey],
      this.transaction,
    );
    if (!row) return undefined;
    const [order] = await this.withLines([row]);
    return { order, requestFingerprint: row.requestFingerprint };
  }

  async listByCustomer(customerId: string, limit: number, after: NewestFirstCursor | undefined): Promise<Order[]> {
    const rows = await OrderRow.findAll({
      ...newestFirst({ customerId }, after, 'createdAt', 'orderId', limit),
      raw: true,
      transaction: this.transaction,
    });
    return this.withLines(rows);
  }

  forgetIdempotencyKeys(before: Date, limit: number): Promise<number> {
    return this.statements.deleteChunk('idempotency_keys', ['customer_id', 'idempotency_key'], 'created_at < ?', [before], limit, this.transaction);
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
    const row = toRow(order);
    if (idempotency) {
      // First, so a concurrent retry with the same key collides before any order row is written.
      try {
        await this.statements.execute(
          `INSERT INTO idempotency_keys (customer_id, idempotency_key, order_id, request_fingerprint, created_at) VALUES (${placeholders(5)})`,
          [row.customerId, idempotency.key, row.orderId, idempotency.requestFingerprint, row.createdAt],
          this.transaction,
        );
      } catch (error) {
        if (error instanceof UniqueConstraintError) throw new IdempotencyKeyTaken(idempotency.key);
        throw error;
      }
    }
    await this.statements.execute(this.orders.insert(), this.orders.values(row), this.transaction);
    const lines = order.snapshot.lines.map((line, index): LineRecord => ({ orderId: row.orderId, lineNo: index + 1, ...line }));
    await this.statements.execute(
      this.lines.insert({ rows: lines.length }),
      lines.flatMap((line) => this.lines.values(line)),
      this.transaction,
    );
  }

  async update(order: Order, expectedVersion: number): Promise<void> {
    const row = toRow(order);
    const changed = await this.statements.execute(
      this.orders.update('orderId', { where: 'version = ?' }),
      [...this.orders.updateValues(row, 'orderId'), expectedVersion],
      this.transaction,
    );
    if (changed !== 1) {
      throw new ConcurrentModification(`order ${row.orderId} was changed by another request; read it again and retry`);
    }
  }

  private async withLines(rows: OrderRecord[]): Promise<Order[]> {
    if (rows.length === 0) return [];
    const ids = inList(rows.map((row) => row.orderId));
    const lines = await this.statements.rows<LineRecord>(
      `SELECT ${this.lines.select('l')} FROM order_lines l WHERE l.order_id IN (${ids.sql}) ORDER BY l.order_id, l.line_no`,
      ids.params,
      this.transaction,
    );
    const linesByOrder = groupBy(lines, (line) => line.orderId);
    return rows.map((row) => toOrder(row, linesByOrder.get(row.orderId) ?? []));
  }
}

function toOrder(row: OrderRecord, lines: readonly Omit<LineRecord, 'orderId'>[]): Order {
  return Order.restore({
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
    lines: lines.map((line) => ({
      productId: line.productId,
      productName: line.productName,
      unitPriceKrw: Number(line.unitPriceKrw),
      quantity: line.quantity,
    })),
  });
}

function toProduct(row: ProductRecord): Product {
  return { productId: row.productId, name: row.name, priceKrw: Number(row.priceKrw), stock: row.stock };
}

function toRow(order: Order): OrderRecord {
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
