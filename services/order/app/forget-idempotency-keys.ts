import { deleteInChunks } from '@funshop/platform/chunks';
import type { Clock, UnitOfWork } from './ports';

/**
 * Idempotency keys are kept for a time to live (24 hours by default, as Stripe's API keeps
 * them), long enough for any client's retries; after that the key is forgotten and may name a new
 * order. Without this the keys would grow with the orders forever.
 */
export class ForgetIdempotencyKeys {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly timeToLiveMs: number,
  ) {}

  /** Forgets the keys older than their time to live, in chunks; returns how many. */
  async runOnce(chunk = 10_000, maxChunks = 20): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.timeToLiveMs);
    return deleteInChunks(() => this.unitOfWork.repositories.orders.forgetIdempotencyKeys(before, chunk), chunk, maxChunks);
  }
}
