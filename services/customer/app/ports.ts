import type { MyPageOrder } from '../domain/my-page-order';

export interface MyPageRepository {
  find(orderId: string): Promise<MyPageOrder | undefined>;
  save(order: MyPageOrder): Promise<void>;
  listByCustomer(customerId: string, limit: number, after: { createdAt: Date; orderId: string } | undefined): Promise<MyPageOrder[]>;
}
