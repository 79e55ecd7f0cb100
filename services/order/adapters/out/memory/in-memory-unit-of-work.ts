import { ConcurrentModification } from '@funshop/platform/errors';
import { InMemoryStore } from '@funshop/platform/memory/in-memory-store';
import { newestFirstPage } from '@funshop/platform/memory/newest-first';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import { Order, type OrderState } from '../../../domain/order';
import type { Product } from '../../../domain/product';
import {
  IdempotencyKeyTaken,
  type OrderEvents,
  type OrderRepository,
  type ProductRepository,
  type Repositories,
  type TransactionalRepositories,
  type UnitOfWork,
} from '../../../app/ports';

/** Everything the order service stores, as plain data (what a transaction copies and restores). */
interface State {
  products: Map<string, Product>;
  orders: Map<string, OrderState>;
  idempotencyKeys: Map<string, { orderId: string; requestFingerprint: string; createdAt: Date }>;
  /** The events recorded, in order: what the outbox would hold. */
  events: { eventType: 'placed' | 'paid' | 'cancelled' | 'expired'; order: OrderState }[];
}

/**
 * The order service's ports in memory, for fast tests of its use cases without a database (a
 * transaction runs alone and is all or nothing: InMemoryStore).
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  readonly repositories: Repositories;
  private readonly store = new InMemoryStore<State>({ products: new Map(), orders: new Map(), idempotencyKeys: new Map(), events: [] }, copy);

  constructor(products: readonly Product[] = []) {
    for (const product of products) this.store.current.products.set(product.productId, product);
    this.repositories = this.repositoriesOver(() => this.store.current);
  }

  /** The events recorded by committed transactions, oldest first. */
  get events(): readonly { eventType: string; order: OrderState }[] {
    return this.store.current.events;
  }

  stockOf(productId: string): number | undefined {
    return this.store.current.products.get(productId)?.stock;
  }

  run<T>(work: (repositories: TransactionalRepositories) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const state = () => this.store.current;
    return this.store.transaction(() => work({ ...this.repositoriesOver(state), events: this.eventsOver(state) }), signal);
  }

  private repositoriesOver(state: () => State): Repositories {
    return { products: new InMemoryProducts(state), orders: new InMemoryOrders(state) };
  }

  private eventsOver(state: () => State): OrderEvents {
    const record = (eventType: State['events'][number]['eventType']) => async (order: Order) => {
      state().events.push({ eventType, order: order.snapshot });
    };
    return { placed: record('placed'), paid: record('paid'), cancelled: record('cancelled'), expired: record('expired') };
  }
}

class InMemoryProducts implements ProductRepository {
  constructor(private readonly state: () => State) {}

  async findMany(productIds: readonly string[]): Promise<Map<string, Product>> {
    const found = productIds.map((id) => this.state().products.get(id)).filter((product): product is Product => product !== undefined);
    return new Map(found.map((product) => [product.productId, product]));
  }

  async list(limit: number, afterProductId: string | undefined): Promise<Product[]> {
    return [...this.state().products.values()]
      .filter((product) => afterProductId === undefined || product.productId > afterProductId)
      .sort((a, b) => a.productId.localeCompare(b.productId))
      .slice(0, limit);
  }

  async reserve(productId: string, quantity: number): Promise<boolean> {
    const product = this.state().products.get(productId);
    if (!product || product.stock < quantity) return false;
    this.state().products.set(productId, { ...product, stock: product.stock - quantity });
    return true;
  }

  async release(productId: string, quantity: number): Promise<void> {
    const product = this.state().products.get(productId);
    if (product) this.state().products.set(productId, { ...product, stock: product.stock + quantity });
  }
}

class InMemoryOrders implements OrderRepository {
  constructor(private readonly state: () => State) {}

  async find(orderId: string): Promise<Order | undefined> {
    const state = this.state().orders.get(orderId);
    return state && Order.restore(state);
  }

  async findByIdempotencyKey(customerId: string, idempotencyKey: string) {
    const key = this.state().idempotencyKeys.get(keyOf(customerId, idempotencyKey));
    const order = key && (await this.find(key.orderId));
    return order && { order, requestFingerprint: key.requestFingerprint };
  }

  async listByCustomer(customerId: string, limit: number, after: NewestFirstCursor | undefined): Promise<Order[]> {
    const ofCustomer = [...this.state().orders.values()].filter((order) => order.customerId === customerId);
    return newestFirstPage(ofCustomer, (order) => ({ at: order.createdAt, id: order.orderId }), limit, after).map((state) => Order.restore(state));
  }

  async insert(order: Order, idempotency?: { key: string; requestFingerprint: string }): Promise<void> {
    const state = order.snapshot;
    if (idempotency) {
      const key = keyOf(state.customerId, idempotency.key);
      if (this.state().idempotencyKeys.has(key)) throw new IdempotencyKeyTaken(idempotency.key);
      this.state().idempotencyKeys.set(key, { orderId: state.orderId, requestFingerprint: idempotency.requestFingerprint, createdAt: state.createdAt });
    }
    this.state().orders.set(state.orderId, state);
  }

  async forgetIdempotencyKeys(before: Date, limit: number): Promise<number> {
    const old = [...this.state().idempotencyKeys].filter(([, key]) => key.createdAt < before).slice(0, limit);
    for (const [key] of old) this.state().idempotencyKeys.delete(key);
    return old.length;
  }

  async findExpired(now: Date, limit: number): Promise<Order[]> {
    return [...this.state().orders.values()]
      .filter((order) => order.status === 'PENDING_PAYMENT' && order.expiresAt <= now)
      .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
      .slice(0, limit)
      .map((state) => Order.restore(state));
  }

  async update(order: Order, expectedVersion: number): Promise<void> {
    const stored = this.state().orders.get(order.orderId);
    if (!stored || stored.version !== expectedVersion) throw new ConcurrentModification(`order ${order.orderId} was changed concurrently`);
    this.state().orders.set(order.orderId, order.snapshot);
  }
}

function keyOf(customerId: string, idempotencyKey: string): string {
  return `${customerId}\u0000${idempotencyKey}`;
}

function copy(state: State): State {
  return { products: new Map(state.products), orders: new Map(state.orders), idempotencyKeys: new Map(state.idempotencyKeys), events: [...state.events] };
}
