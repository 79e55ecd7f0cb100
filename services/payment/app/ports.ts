import type { TransactionScope } from '@funshop/platform/db/transaction-scope';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import type { Payment } from '../domain/payment';

export interface PaymentRepository {
  find(paymentId: string): Promise<Payment | undefined>;
  /** The order's approved payment, if any, locked until the transaction ends. */
  findApprovedForOrder(orderId: string): Promise<Payment | undefined>;
  /** Inserts a new payment; ApprovalTaken if another approved payment of the order committed first. */
  insert(payment: Payment): Promise<void>;
  update(payment: Payment, readVersion: number): Promise<void>;
  listByCustomer(customerId: string, limit: number, after: NewestFirstCursor | undefined): Promise<Payment[]>;
}

/** Orders known to be cancelled or expired: they must never be charged, even if the news came first. */
export interface EndedOrders {
  /** Whether the order ended; a locking read, so a concurrent end waits for this transaction. */
  hasEnded(orderId: string): Promise<boolean>;
  record(orderId: string, reason: string): Promise<void>;
}

export interface PaymentEvents {
  declined(payment: Payment): Promise<void>;
  cancelled(payment: Payment): Promise<void>;
}

/** Receipt files (a shared volume in Kubernetes), written once the change has committed. */
export interface Receipts {
  issueAfterCommit(payment: Payment): void;
}

export interface PaymentRepositories {
  payments: PaymentRepository;
  endedOrders: EndedOrders;
  events: PaymentEvents;
  receipts: Receipts;
}

export interface UnitOfWork {
  readonly payments: PaymentRepository;
  run<T>(work: (repositories: PaymentRepositories) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** The repositories in a transaction someone else opened (an event consumer's). */
  join(scope: TransactionScope): PaymentRepositories;
}

export class ApprovalTaken extends Error {}

export type { Clock, IdGenerator } from '@funshop/platform/ports';
