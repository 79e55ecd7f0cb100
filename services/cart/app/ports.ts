import type { TransactionScope } from '@funshop/platform/db/transaction-scope';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import type { CartOrder } from '../domain/cart-order';

export interface Cancellation {
  cancellationId: string;
  orderId: string;
  customerId: string;
  reason: string;
  cancelledAt: Date;
}

export interface CartOrderRepository {
  find(orderId: string): Promise<CartOrder | undefined>;
  /** Inserts (version 1) or updates; ConcurrentModification if someone else saved it since it was read. */
  save(cartOrder: CartOrder, readVersion: number): Promise<void>;
  /** The customer's most recent cart entries, newest first. */
  listByCustomer(customerId: string, limit: number): Promise<CartOrder[]>;
}

export interface CancellationRepository {
  add(cancellation: Cancellation): Promise<void>;
  /** Up to `limit` of the customer's cancellations, newest first, after the cursor. */
  listByCustomer(customerId: string, limit: number, after: NewestFirstCursor | undefined): Promise<Cancellation[]>;
}

export interface CartRepositories {
  cartOrders: CartOrderRepository;
  cancellations: CancellationRepository;
}

/** The cart changes only in an event consumer's transaction, which its policies join. */
export interface CartUnitOfWork {
  join(scope: TransactionScope): CartRepositories;
}

export type { Clock, IdGenerator } from '@funshop/platform/ports';
