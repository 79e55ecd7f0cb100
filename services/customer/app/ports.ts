import type { TransactionScope } from '@funshop/platform/db/transaction-scope';
import type { EventEnvelope } from '@funshop/platform/messaging/envelope';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import type { MyPageOrder } from '../domain/my-page-order';

export interface MyPageRepository {
  find(orderId: string): Promise<MyPageOrder | undefined>;
  /**
   * The order's row, created from `first` if there is none yet, and locked until the transaction
   * ends: two events of one order applied at once take turns instead of overwriting each other.
   */
  lockOrCreate(first: MyPageOrder): Promise<MyPageOrder>;
  save(order: MyPageOrder): Promise<void>;
  listByCustomer(customerId: string, limit: number, after: NewestFirstCursor | undefined): Promise<MyPageOrder[]>;
}

/** The projection's own log of every event it consumed, as received: what a rebuild replays. */
export interface StoredEventLog {
  append(event: EventEnvelope): Promise<void>;
}

/** What applying one event writes, all in the consumer's transaction (with the inbox row). */
export interface MyPageWrites {
  myPages: MyPageRepository;
  storedEvents: StoredEventLog;
}

/** The my page changes only in an event consumer's transaction, which its use case joins. */
export interface MyPageUnitOfWork {
  join(scope: TransactionScope): MyPageWrites;
}

/** Applies one consumed event to the my page. */
export type Projection = (event: EventEnvelope, repository: MyPageRepository) => Promise<void>;
