import type { TransactionScope } from '@funshop/platform/db/transaction-scope';
import { InMemoryStore } from '@funshop/platform/memory/in-memory-store';
import { newestFirstPage } from '@funshop/platform/memory/newest-first';
import type { EventEnvelope } from '@funshop/platform/messaging/envelope';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import { MyPageOrder, type MyPageOrderState } from '../../../domain/my-page-order';
import type { MyPageRepository, MyPageUnitOfWork, MyPageWrites, StoredEventLog } from '../../../app/ports';

interface State {
  myPages: Map<string, MyPageOrderState>;
  /** The stored event log, oldest first: what a rebuild would replay. */
  storedEvents: EventEnvelope[];
}

/**
 * The my page's ports in memory, for fast tests of its projection and queries without a database
 * (a transaction runs alone and is all or nothing: InMemoryStore, which also stands for the row
 * lock lockOrCreate takes). The my page changes only in an event consumer's transaction: `run`
 * stands for it, and `join` gives the use case its writes.
 */
export class InMemoryMyPageUnitOfWork implements MyPageUnitOfWork {
  readonly myPages: MyPageRepository;
  private readonly store = new InMemoryStore<State>({ myPages: new Map(), storedEvents: [] }, (state) => ({
    myPages: new Map(state.myPages),
    storedEvents: [...state.storedEvents],
  }));

  constructor() {
    this.myPages = new InMemoryMyPages(() => this.store.current);
  }

  get storedEvents(): readonly EventEnvelope[] {
    return this.store.current.storedEvents;
  }

  /** As an event consumer applies an event: in a transaction of its own. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.store.transaction(work);
  }

  join(_scope: TransactionScope): MyPageWrites {
    const log: StoredEventLog = { append: async (event) => void this.store.current.storedEvents.push(event) };
    return { myPages: this.myPages, storedEvents: log };
  }
}

class InMemoryMyPages implements MyPageRepository {
  constructor(private readonly state: () => State) {}

  async find(orderId: string): Promise<MyPageOrder | undefined> {
    const state = this.state().myPages.get(orderId);
    return state && MyPageOrder.restore(state);
  }

  async lockOrCreate(first: MyPageOrder): Promise<MyPageOrder> {
    const { myPages } = this.state();
    const state = myPages.get(first.snapshot.orderId) ?? first.snapshot;
    myPages.set(state.orderId, state);
    return MyPageOrder.restore(state);
  }

  async save(order: MyPageOrder): Promise<void> {
    this.state().myPages.set(order.snapshot.orderId, order.snapshot);
  }

  async listByCustomer(customerId: string, limit: number, after: NewestFirstCursor | undefined): Promise<MyPageOrder[]> {
    const ofCustomer = [...this.state().myPages.values()].filter((state) => state.customerId === customerId);
    return newestFirstPage(ofCustomer, (state) => ({ at: state.createdAt, id: state.orderId }), limit, after).map((state) => MyPageOrder.restore(state));
  }
}
