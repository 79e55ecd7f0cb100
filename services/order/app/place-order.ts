import { createHash } from 'node:crypto';
import { FailedPrecondition, InvalidArgument } from '@funshop/platform/errors';
import { Order, type RequestedItem } from '../domain/order';
import { IdempotencyKeyTaken, type Clock, type IdGenerator, type UnitOfWork } from './ports';

export interface PlaceOrderCommand {
  customerId: string;
  items: RequestedItem[];
  idempotencyKey: string | undefined;
}

/**
 * Places an order: validates it against the catalog, then reserves its stock in the same
 * transaction that records it and its OrderPlaced event, so stock never goes negative or leaks,
 * and the event exists exactly when the order does.
 */
export class PlaceOrder {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly paymentWindowMs: number,
  ) {}

  async execute(command: PlaceOrderCommand, signal?: AbortSignal): Promise<Order> {
    const fingerprint = fingerprintOf(command.items);
    const replayed = await this.replay(command, fingerprint);
    if (replayed) return replayed;
    // The catalog is read before the transaction, through the shared point reads: under load one
    // query answers many orders' lookups, and an order the catalog refuses costs no transaction.
    // Its stock figure only words the refusal; the conditional reserve below decides.
    const catalog = await this.unitOfWork.repositories.products.findMany(command.items.map((item) => item.productId));
    const order = Order.place({
      orderId: this.ids.newId(),
      customerId: command.customerId,
      items: command.items,
      catalog,
      now: this.clock.now(),
      paymentWindowMs: this.paymentWindowMs,
    });
    try {
      return await this.unitOfWork.run(async ({ products, orders, events }) => {
        // Rows are locked in product id order, so concurrent orders never deadlock on each other.
        const lines = [...order.snapshot.lines].sort((a, b) => a.productId.localeCompare(b.productId));
        for (const line of lines) {
          if (!(await products.reserve(line.productId, line.quantity))) {
            const left = catalog.get(line.productId)?.stock ?? 0;
            throw new FailedPrecondition(`not enough stock of "${line.productId}": ${line.quantity} asked, ${left} left`);
          }
        }
        const idempotency = command.idempotencyKey ? { key: command.idempotencyKey, requestFingerprint: fingerprint } : undefined;
        await orders.insert(order, idempotency);
        await events.placed(order);
        return order;
      }, signal);
    } catch (error) {
      // A concurrent retry with the same key committed first: answer with its order.
      if (error instanceof IdempotencyKeyTaken) return (await this.replay(command, fingerprint))!;
      throw error;
    }
  }

  /** The order an earlier call with the same idempotency key placed, if there was one. */
  private async replay(command: PlaceOrderCommand, fingerprint: string): Promise<Order | undefined> {
    if (!command.idempotencyKey) return undefined;
    const earlier = await this.unitOfWork.repositories.orders.findByIdempotencyKey(command.customerId, command.idempotencyKey);
    if (!earlier) return undefined;
    if (earlier.requestFingerprint !== fingerprint) {
      throw InvalidArgument.of([{ field: 'idempotency-key', description: 'was already used for a different request; use a new key for a new order' }]);
    }
    return earlier.order;
  }
}

/** Identifies what was asked for, independent of item order, to recognise a retried request. */
function fingerprintOf(items: readonly RequestedItem[]): string {
  const canonical = [...items].map((item) => [item.productId, item.quantity] as const).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
