import type { NewestFirstCursor } from '@funshop/platform/paging';
import type { Order } from '../domain/order';
import type { Product } from '../domain/product';

export interface ProductRepository {
  findMany(productIds: readonly string[]): Promise<Map<string, Product>>;
  /** Up to `limit` products in id order, starting after `afterProductId`. */
  list(limit: number, afterProductId: string | undefined): Promise<Product[]>;
  /**
   * Takes `quantity` units of stock, but only if that many are left; false otherwise. Atomic
   * against concurrent reservations, and undone if the surrounding transaction rolls back.
   */
  reserve(productId: string, quantity: number): Promise<boolean>;
  release(productId: string, quantity: number): Promise<void>;
}

export interface OrderRepository {
  find(orderId: string): Promise<Order | undefined>;
  findByIdempotencyKey(customerId: string, idempotencyKey: string): Promise<{ order: Order; requestFingerprint: string } | undefined>;
  /** Up to `limit` orders of one customer, newest first, starting after `after`. */
  listByCustomer(customerId: string, limit: number, after: NewestFirstCursor | undefined): Promise<Order[]>;
  insert(order: Order, idempotency?: { key: string; requestFingerprint: string }): Promise<void>;
  /** Deletes up to `limit` idempotency keys created before `before`; how many it deleted. */
  forgetIdempotencyKeys(before: Date, limit: number): Promise<number>;
  /** Orders still awaiting payment whose payment window closed before `now`, oldest first. */
  findExpired(now: Date, limit: number): Promise<Order[]>;
  /** Saves a changed order; ConcurrentModification if someone else saved it since it was read. */
  update(order: Order, expectedVersion: number): Promise<void>;
}

/**
 * The order service's integration events. They are recorded in the same transaction as the
 * change they announce (a transactional outbox) and published after it commits.
 */
export interface OrderEvents {
  placed(order: Order): Promise<void>;
  paid(order: Order): Promise<void>;
  cancelled(order: Order): Promise<void>;
  expired(order: Order): Promise<void>;
}

export interface Repositories {
  products: ProductRepository;
  orders: OrderRepository;
}

export interface TransactionalRepositories extends Repositories {
  events: OrderEvents;
}

/** Runs work against repositories that share one database transaction: all of it commits, or none. */
export interface UnitOfWork {
  /** Repositories outside any transaction, for reads. */
  readonly repositories: Repositories;
  run<T>(work: (repositories: TransactionalRepositories) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export type { Clock, IdGenerator } from '@funshop/platform/ports';

/** Thrown by OrderRepository.insert when the customer already used the idempotency key. */
export class IdempotencyKeyTaken extends Error {
  constructor(readonly idempotencyKey: string) {
    super(`idempotency key "${idempotencyKey}" is already taken`);
  }
}

/** The card as the customer entered it; it goes to the payment service and is never stored here. */
export interface CardDetails {
  number: string;
  expiryMonth: number;
  expiryYear: number;
  cvc: string;
  holderName: string;
}

export interface PaymentResult {
  paymentId: string;
  approved: boolean;
  declineReason: string;
  amountKrw: number;
  cardLast4: string;
  createdAt: Date;
}

/** The payment service, called synchronously (request/response) by PayOrder. */
export interface PaymentGateway {
  authorize(request: { orderId: string; customerId: string; amountKrw: number; card: CardDetails | undefined }, signal?: AbortSignal): Promise<PaymentResult>;
}
