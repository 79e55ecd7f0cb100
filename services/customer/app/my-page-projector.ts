import { MyPageOrder, type MyPageItem, type OrderStatus, type PaymentStatus } from '../domain/my-page-order';
import type { MyPageRepository } from './ports';

/** What every projected event says: which order, whose, when, and its place in its aggregate's history. */
export interface Fact {
  orderId: string;
  customerId: string;
  occurredAt: Date;
  sequence: number;
  correlationId: string;
}

/**
 * The my page's only writer: it applies order and payment facts to the customer's view of each
 * order (the cart's status among them, which follows from the order's). It never calls another
 * service; everything it knows arrived as an event (CQRS).
 */
export class MyPageProjector {
  orderPlaced(repository: MyPageRepository, fact: Fact & { items: MyPageItem[]; totalKrw: number }): Promise<void> {
    return this.apply(repository, fact, (order) =>
      order.placed(fact.sequence, { items: fact.items, totalKrw: fact.totalKrw, placedAt: fact.occurredAt, correlationId: fact.correlationId }),
    );
  }

  orderStatusChanged(repository: MyPageRepository, fact: Fact & { status: OrderStatus }): Promise<void> {
    return this.apply(repository, fact, (order) => order.orderStatusChanged(fact.sequence, fact.status, fact.occurredAt));
  }

  orderPaid(repository: MyPageRepository, fact: Fact): Promise<void> {
    return this.apply(repository, fact, (order) => order.paid(fact.sequence, fact.occurredAt));
  }

  paymentStatusChanged(repository: MyPageRepository, fact: Fact & { status: PaymentStatus }): Promise<void> {
    return this.apply(repository, fact, (order) => order.paymentStatusChanged(fact.status, fact.occurredAt));
  }

  private async apply(repository: MyPageRepository, fact: Fact, change: (order: MyPageOrder) => void): Promise<void> {
    const order = await repository.lockOrCreate(MyPageOrder.first(fact.orderId, fact.customerId, fact.occurredAt, fact.correlationId));
    change(order);
    await repository.save(order);
  }
}
