import { ConcurrentModification } from '@funshop/platform/errors';
import type { TransactionScope } from '@funshop/platform/db/transaction-scope';
import { InMemoryStore } from '@funshop/platform/memory/in-memory-store';
import { newestFirstPage } from '@funshop/platform/memory/newest-first';
import type { NewestFirstCursor } from '@funshop/platform/paging';
import { Payment, type PaymentState } from '../../../domain/payment';
import { ApprovalTaken, type EndedOrders, type PaymentEvents, type PaymentRepositories, type PaymentRepository, type UnitOfWork } from '../../../app/ports';

interface State {
  payments: Map<string, PaymentState>;
  endedOrders: Map<string, string>;
  /** What the outbox would hold, oldest first. */
  events: { eventType: 'declined' | 'cancelled'; payment: PaymentState }[];
  /** Receipts issued by committed transactions: `<payment id>.<status>`. */
  receipts: string[];
}

/**
 * The payment service's ports in memory, for fast tests of its use cases without a database (a
 * transaction runs alone and is all or nothing: InMemoryStore). `join` stands for the consumer's
 * transaction: call the policy inside `run`, as the consumer calls it inside its own.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  readonly payments: PaymentRepository;
  private readonly store = new InMemoryStore<State>({ payments: new Map(), endedOrders: new Map(), events: [], receipts: [] }, (state) => ({
    payments: new Map(state.payments),
    endedOrders: new Map(state.endedOrders),
    events: [...state.events],
    receipts: [...state.receipts],
  }));

  constructor() {
    this.payments = new InMemoryPayments(() => this.store.current);
  }

  get events(): readonly { eventType: string; payment: PaymentState }[] {
    return this.store.current.events;
  }

  get receipts(): readonly string[] {
    return this.store.current.receipts;
  }

  run<T>(work: (repositories: PaymentRepositories) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.store.transaction(() => work(this.repositories()), signal);
  }

  join(_scope: TransactionScope): PaymentRepositories {
    return this.repositories();
  }

  private repositories(): PaymentRepositories {
    const state = () => this.store.current;
    const record = (eventType: State['events'][number]['eventType']) => async (payment: Payment) => {
      state().events.push({ eventType, payment: payment.snapshot });
    };
    const events: PaymentEvents = { declined: record('declined'), cancelled: record('cancelled') };
    const endedOrders: EndedOrders = {
      hasEnded: async (orderId) => state().endedOrders.has(orderId),
      record: async (orderId, reason) => void state().endedOrders.set(orderId, reason),
    };
    const receipts = {
      issueAfterCommit: (payment: Payment) => {
        const { paymentId, status } = payment.snapshot;
        this.store.afterCommit(() => state().receipts.push(`${paymentId}.${status.toLowerCase()}`));
      },
    };
    return { payments: new InMemoryPayments(state), endedOrders, events, receipts };
  }
}

class InMemoryPayments implements PaymentRepository {
  constructor(private readonly state: () => State) {}

  async find(paymentId: string): Promise<Payment | undefined> {
    const state = this.state().payments.get(paymentId);
    return state && Payment.restore(state);
  }

  async findApprovedForOrder(orderId: string): Promise<Payment | undefined> {
    const state = [...this.state().payments.values()].find((payment) => payment.orderId === orderId && payment.status === 'APPROVED');
    return state && Payment.restore(state);
  }

  async insert(payment: Payment): Promise<void> {
    const state = payment.snapshot;
    if (payment.approved && (await this.findApprovedForOrder(state.orderId))) throw new ApprovalTaken();
    this.state().payments.set(state.paymentId, state);
  }

  async update(payment: Payment, readVersion: number): Promise<void> {
    const stored = this.state().payments.get(payment.snapshot.paymentId);
    if (!stored || stored.version !== readVersion) throw new ConcurrentModification(`payment ${payment.snapshot.paymentId} was changed concurrently`);
    this.state().payments.set(payment.snapshot.paymentId, payment.snapshot);
  }

  async listByCustomer(customerId: string, limit: number, after: NewestFirstCursor | undefined): Promise<Payment[]> {
    const ofCustomer = [...this.state().payments.values()].filter((payment) => payment.customerId === customerId);
    return newestFirstPage(ofCustomer, (payment) => ({ at: payment.createdAt, id: payment.paymentId }), limit, after).map((state) => Payment.restore(state));
  }
}
