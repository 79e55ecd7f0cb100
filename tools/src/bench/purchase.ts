import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { CartItemStatus } from '@funshop/proto/funshop/cart/v1/cart';
import { MyPageServiceClient, type GetMyPageResponse } from '@funshop/proto/funshop/customer/v1/my_page';
import { OrderServiceClient, OrderStatus, type PayOrderResponse, type PlaceOrderResponse } from '@funshop/proto/funshop/order/v1/order';
import { PaymentStatus } from '@funshop/proto/funshop/payment/v1/payment';
import { countInto, fromLatencies, type Path, type Result } from './result';

export interface PurchaseLoad {
  /** Purchases started per second, on schedule whatever the answers (open loop). */
  rate: number;
  seconds: number;
  /** Product ids to buy, one per purchase in turn. */
  products: string[];
}

export interface PurchaseTargets {
  order: string;
  myPage: string;
  customerId: string;
  /** Who the caller is: x-customer-id direct, a bearer token through Envoy. */
  identity: Record<string, string>;
}

/** Approved by the payment service's test mode. */
export const APPROVED_CARD = { number: '4242424242424242', expiryMonth: 12, expiryYear: 2099, cvc: '123', holderName: 'Bench' };
/** A purchase not on the my page by then is counted as lost. */
const GIVE_UP_AFTER_MS = 10_000;
const POLL_EVERY_MS = 5;
/** Orders read beyond those known to be newer than the oldest pending one (clock and ordering slack). */
const PAGE_MARGIN = 5;

/**
 * The full purchase, place → pay, measured until the customer's my page shows it paid, approved
 * and its cart completed: the whole event path (outbox relay, broker, cart, projection) included.
 * Latency is counted from when the purchase was due, not when it got started, so a stalled client
 * cannot hide a slow shop (no coordinated omission).
 */
export async function purchaseToMyPage(path: Path, targets: PurchaseTargets, load: PurchaseLoad): Promise<Result> {
  const orders = new OrderServiceClient(targets.order, credentials.createInsecure());
  const myPage = new MyPageServiceClient(targets.myPage, credentials.createInsecure());
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(targets.identity)) metadata.set(key, value);

  const errorKinds: Record<string, number> = {};
  const latencies: number[] = [];
  /** Paid orders not yet seen on the my page: when each was due, and its server-side create time. */
  const pending = new Map<string, { dueAt: number; createdAt: number }>();
  /** Server-side create times of every order placed so far: all of them show on the my page. */
  const placedTimes: number[] = [];
  let inFlight = 0;

  const purchase = async (index: number, dueAt: number) => {
    inFlight++;
    try {
      const items = [{ productId: load.products[index % load.products.length], quantity: 1 }];
      const placed = await call<PlaceOrderResponse>((done) => orders.placeOrder({ items }, metadata, done));
      const orderId = placed.order!.orderId;
      const createdAt = placed.order!.createTime!.getTime();
      placedTimes.push(createdAt);
      await call<PayOrderResponse>((done) => orders.payOrder({ orderId, card: APPROVED_CARD }, metadata, done));
      pending.set(orderId, { dueAt, createdAt });
    } catch (error) {
      countInto(errorKinds, error);
    } finally {
      inFlight--;
    }
  };

  const start = performance.now();
  const scheduling = onSchedule(load, start, (index, dueAt) => void purchase(index, dueAt));

  let scheduled = false;
  void scheduling.then(() => (scheduled = true));
  const giveUpAt = start + load.seconds * 1000 + GIVE_UP_AFTER_MS;
  while (!scheduled || inFlight > 0 || pending.size > 0) {
    if (performance.now() > giveUpAt) break;
    if (pending.size > 0) await collectVisible(myPage, metadata, targets.customerId, pending, placedTimes, latencies);
    await sleep(POLL_EVERY_MS);
  }
  for (let i = 0; i < pending.size; i++) countInto(errorKinds, new Error(`not on the my page within ${GIVE_UP_AFTER_MS / 1000} s`));
  orders.close();
  myPage.close();
  return fromLatencies('purchase→my page', path, latencies, load.seconds, errorKinds);
}

/**
 * Reads the my page newest first and takes every pending purchase it shows completed. The pages
 * are followed only while they still reach back to the oldest pending order.
 */
async function collectVisible(
  myPage: MyPageServiceClient,
  metadata: Metadata,
  customerId: string,
  pending: Map<string, { dueAt: number; createdAt: number }>,
  placedTimes: readonly number[],
  latencies: number[],
): Promise<void> {
  const oldest = Math.min(...[...pending.values()].map((p) => p.createdAt));
  // Reading only as many orders as were placed since the oldest pending one keeps the bench's own
  // reads from costing the shop more than the purchases do (a page of 100 every 5 ms did).
  const needed = placedTimes.filter((createdAt) => createdAt >= oldest).length + PAGE_MARGIN;
  const pageSize = Math.min(100, needed);
  let pageToken = '';
  do {
    const page = await call<GetMyPageResponse>((done) => myPage.getMyPage({ customerId, pageSize, pageToken }, metadata, done));
    const seenAt = performance.now();
    const shown = page.myPage?.orders ?? [];
    for (const order of shown) {
      const purchase = pending.get(order.orderId);
      const complete =
        order.orderStatus === OrderStatus.ORDER_STATUS_PAID &&
        order.paymentStatus === PaymentStatus.PAYMENT_STATUS_APPROVED &&
        order.cartStatus === CartItemStatus.CART_ITEM_STATUS_ORDER_COMPLETED;
      if (purchase && complete) {
        latencies.push(seenAt - purchase.dueAt);
        pending.delete(order.orderId);
      }
    }
    const reachedBack = shown.length === 0 || shown[shown.length - 1].createTime!.getTime() <= oldest;
    pageToken = reachedBack ? '' : page.nextPageToken;
  } while (pageToken);
}

/**
 * Calls `begin` for every purchase of the load when it is due (`performance.now()` time), whatever
 * the earlier ones are doing: an open loop. Resolves once the last one has begun.
 */
export async function onSchedule(load: PurchaseLoad, start: number, begin: (index: number, dueAt: number) => void): Promise<void> {
  const total = Math.round(load.rate * load.seconds);
  for (let index = 0; index < total; index++) {
    const dueAt = start + (index * 1000) / load.rate;
    const wait = dueAt - performance.now();
    if (wait > 0) await sleep(wait);
    begin(index, dueAt);
  }
}

export function call<T>(invoke: (done: (error: ServiceError | null, response: T) => void) => unknown): Promise<T> {
  return new Promise((resolve, reject) => invoke((error, response) => (error ? reject(error) : resolve(response))));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
