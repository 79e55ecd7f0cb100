import { ConcurrentModification } from '@funshop/platform/errors';
import type { TransactionScope } from '@funshop/platform/db/transaction-scope';
import { InMemoryStore } from '@funshop/platform/memory/in-memory-store';
import { newestFirstPage } from '@funshop/platform/memory/newest-first';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import { CartOrder, type CartOrderState } from '../../../domain/cart-order';
import type { Cancellation, CancellationRepository, CartOrderRepository, CartRepositories, CartUnitOfWork } from '../../../app/ports';

interface State {
  cartOrders: Map<string, CartOrderState>;
  cancellations: Cancellation[];
}

/**
 * The cart's ports in memory, for fast tests of its policies and queries without a database (a
 * transaction runs alone and is all or nothing: InMemoryStore). The cart changes only in an event
 * consumer's transaction: `run` stands for it, and `join` gives the policies its repositories.
 */
export class InMemoryCartUnitOfWork implements CartUnitOfWork {
  readonly cartOrders: CartOrderRepository;
  readonly cancellations: CancellationRepository;
  private readonly store = new InMemoryStore<State>({ cartOrders: new Map(), cancellations: [] }, (state) => ({
    cartOrders: new Map(state.cartOrders),
    cancellations: [...state.cancellations],
  }));

  constructor() {
    const state = () => this.store.current;
    this.cartOrders = new InMemoryCartOrders(state);
    this.cancellations = new InMemoryCancellations(state);
  }

  /** As an event consumer runs a policy: in a transaction of its own. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.store.transaction(work);
  }

  join(_scope: TransactionScope): CartRepositories {
    return { cartOrders: this.cartOrders, cancellations: this.cancellations };
  }
}

class InMemoryCartOrders implements CartOrderRepository {
  constructor(private readonly state: () => State) {}

  async find(orderId: string): Promise<CartOrder | undefined> {
    const state = this.state().cartOrders.get(orderId);
    return state && CartOrder.restore(state);
  }

  async save(cartOrder: CartOrder, readVersion: number): Promise<void> {
    const state = cartOrder.snapshot;
    const stored = this.state().cartOrders.get(state.orderId);
    if ((stored?.version ?? 0) !== readVersion) throw new ConcurrentModification(`cart entry of order ${state.orderId} changed concurrently`);
    this.state().cartOrders.set(state.orderId, state);
  }

  async listByCustomer(customerId: string, limit: number): Promise<CartOrder[]> {
    const ofCustomer = [...this.state().cartOrders.values()].filter((state) => state.customerId === customerId);
    return newestFirstPage(ofCustomer, (state) => ({ at: state.createdAt, id: state.orderId }), limit).map((state) => CartOrder.restore(state));
  }
}

class InMemoryCancellations implements CancellationRepository {
  constructor(private readonly state: () => State) {}

  async add(cancellation: Cancellation): Promise<void> {
    this.state().cancellations.push(cancellation);
  }

  async listByCustomer(customerId: string, limit: number, after: NewestFirstCursor | undefined): Promise<Cancellation[]> {
    const ofCustomer = this.state().cancellations.filter((c) => c.customerId === customerId);
    return newestFirstPage(ofCustomer, (c) => ({ at: c.cancelledAt, id: c.cancellationId }), limit, after);
  }
}
