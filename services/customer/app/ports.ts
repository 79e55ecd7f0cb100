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
