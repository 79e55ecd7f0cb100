import { credentials, Metadata } from '@grpc/grpc-js';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { Client } from 'pg';
import { groupBy } from '@funshop/platform/group-by';
import { CORRELATION_HEADER } from '@funshop/platform/grpc/handlers';
import { OrderServiceClient, type PayOrderResponse, type PlaceOrderResponse } from '@funshop/proto/funshop/order/v1/order';
import { APPROVED_CARD, call, onSchedule, sleep, type PurchaseLoad } from './purchase';
import { countInto, fromLatencies, percentile, type Result } from './result';

/** A service's database, and the consumer whose inbox rows it holds (if the service consumes events). */
export interface HopDatabase {
  database: string;
  consumer: string;
}

export interface HopDatabases {
  /** MariaDB databases whose outbox and inbox the purchase passes through. */
  mariadb: HopDatabase[];
  /** The my page's PostgreSQL database. */
  postgres: HopDatabase;
}

interface Purchase {
  key: string;
  /** Wall-clock milliseconds, as the databases' timestamps are. */
  dueAt: number;
  placedAt?: number;
  paidAt?: number;
}

interface EventRow {
  event_id: string;
  event_type: string;
  correlation_id: string;
  occurred_at: Date;
  sent_at: Date | null;
}

interface DeliveryRow {
  consumer: string;
  event_id: string;
  processed_at: Date;
}

const SETTLE_TIMEOUT_MS = 10_000;

/**
 * The purchase scenario without watching the my page: place and pay directly at a steady rate,
 * then read the timestamps the shop keeps anyway (each outbox's `occurred_at` and `sent_at`,
 * each inbox's `processed_at`) to show when every hop of every purchase happened. Its total is
 * from when a purchase was due until the last of its events reached a consumer; its CPU is the
 * shop's without the cost of the observer.
 */
export async function purchaseHops(orderTarget: string, databases: HopDatabases, load: PurchaseLoad): Promise<Result> {
  const orders = new OrderServiceClient(orderTarget, credentials.createInsecure());
  const run = `hops-${Date.now()}`;
  const customerId = `bench-${run}`;
  const purchases: Purchase[] = [];
  const errorKinds: Record<string, number> = {};
  const calls: Promise<void>[] = [];

  // Each call names its correlation id, so the events it causes can be found by it afterwards.
  const metadata = (correlationId: string) => {
    const metadata = new Metadata();
    metadata.set('x-customer-id', customerId);
    metadata.set(CORRELATION_HEADER, correlationId);
    return metadata;
  };
  const outboxBefore = await lastOutboxIds(databases);
  const start = performance.now();
  await onSchedule(load, start, (index, dueAt) => {
    const purchase: Purchase = { key: `${run}-${index}`, dueAt: performance.timeOrigin + dueAt };
    purchases.push(purchase);
    calls.push(
      (async () => {
        const items = [{ productId: load.products[index % load.products.length], quantity: 1 }];
        const placed = await call<PlaceOrderResponse>((done) => orders.placeOrder({ items }, metadata(`${purchase.key}-place`), done));
        purchase.placedAt = Date.now();
        const orderId = placed.order!.orderId;
        await call<PayOrderResponse>((done) => orders.payOrder({ orderId, card: APPROVED_CARD }, metadata(`${purchase.key}-pay`), done));
        purchase.paidAt = Date.now();
      })().catch((error) => countInto(errorKinds, error)),
    );
  });
  await Promise.all(calls);
  orders.close();

  const { events, deliveries } = await readWhenSettled(
    databases,
    outboxBefore,
    purchases.flatMap((p) => [`${p.key}-place`, `${p.key}-pay`]),
  );
  // A purchase's correlation ids are its key plus "-place" or "-pay".
  const eventsOf = groupBy(events, (event) => event.correlation_id.slice(0, event.correlation_id.lastIndexOf('-')));
  const deliveriesOf = groupBy(deliveries, (delivery) => delivery.event_id);
  const since = new Map<string, number[]>();
  const totals: number[] = [];
  for (const purchase of purchases.filter((p) => p.paidAt !== undefined)) {
    const at = (hop: string, time: number) => (since.get(hop) ?? since.set(hop, []).get(hop)!).push(time - purchase.dueAt);
    at('PlaceOrder answered', purchase.placedAt!);
    at('PayOrder answered', purchase.paidAt!);
    const own = (eventsOf.get(purchase.key) ?? []).sort((a, b) => a.occurred_at.getTime() - b.occurred_at.getTime());
    let last = purchase.paidAt!;
    for (const event of own) {
      const name = ordinalName(own, event);
      at(`${name} written`, event.occurred_at.getTime());
      if (event.sent_at) at(`${name} confirmed by the broker`, event.sent_at.getTime());
      for (const delivery of deliveriesOf.get(event.event_id) ?? []) {
        at(`${name} → ${delivery.consumer}`, delivery.processed_at.getTime());
        last = Math.max(last, delivery.processed_at.getTime());
      }
    }
    totals.push(last - purchase.dueAt);
  }
  const result = fromLatencies('purchase hops', 'direct', totals, load.seconds, errorKinds);
  result.hops = [...since]
    .map(([hop, times]) => {
      const sorted = times.sort((a, b) => a - b);
      return { hop, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
    })
    .sort((a, b) => a.p50 - b.p50);
  return result;
}

/** An event's short type, numbered when a purchase has several of that type (the cart reacts twice). */
function ordinalName(events: EventRow[], event: EventRow): string {
  const short = event.event_type.split('.').pop()!;
  const same = events.filter((e) => e.event_type === event.event_type);
  return same.length > 1 ? `${short} ${same.indexOf(event) + 1}` : short;
}

/**
 * The purchases' events and their deliveries, read once every event is confirmed and no new
 * delivery has appeared for a moment (or after a timeout, with whatever arrived by then).
 */
function connectMariadb({ database }: HopDatabase) {
  return createConnection({ host: '127.0.0.1', user: 'funshop', password: 'funshop', database, timezone: 'Z' });
}

/** Each MariaDB outbox's highest id before the purchases: their events are above it. */
async function lastOutboxIds(databases: HopDatabases): Promise<number[]> {
  return Promise.all(
    databases.mariadb.map(async (database) => {
      const connection = await connectMariadb(database);
      try {
        const [[row]] = await connection.query<RowDataPacket[]>('SELECT COALESCE(MAX(id), 0) AS id FROM outbox_events');
        return Number(row.id);
      } finally {
        await connection.end();
      }
    }),
  );
}

/**
 * Every lookup goes by an index (the outbox's id, the inbox's consumer and event id): this is the
 * bench's own reading, and on tables of millions of rows a scan would be charged to the shop.
 */
async function readWhenSettled(
  databases: HopDatabases,
  outboxBefore: number[],
  correlationIds: string[],
): Promise<{ events: EventRow[]; deliveries: DeliveryRow[] }> {
  const mariadb = await Promise.all(databases.mariadb.map(connectMariadb));
  const postgres = new Client({ host: '127.0.0.1', user: 'funshop', password: 'funshop', database: databases.postgres.database });
  await postgres.connect();
  try {
    const giveUpAt = Date.now() + SETTLE_TIMEOUT_MS;
    for (let seen = -1; ; await sleep(300)) {
      const events: EventRow[] = [];
      for (const [index, connection] of mariadb.entries()) {
        const [rows] = await connection.query<RowDataPacket[]>(
          'SELECT event_id, event_type, correlation_id, occurred_at, sent_at FROM outbox_events WHERE id > ? AND correlation_id IN (?)',
          [outboxBefore[index], correlationIds],
        );
        events.push(...(rows as EventRow[]));
      }
      const eventIds = events.map((e) => e.event_id);
      const deliveries: DeliveryRow[] = [];
      if (eventIds.length > 0) {
        for (const [index, connection] of mariadb.entries()) {
          const [rows] = await connection.query<RowDataPacket[]>(
            'SELECT consumer, event_id, processed_at FROM inbox_events WHERE consumer = ? AND event_id IN (?)',
            [databases.mariadb[index].consumer, eventIds],
          );
          deliveries.push(...(rows as DeliveryRow[]));
        }
        const { rows } = await postgres.query<DeliveryRow>(
          'SELECT consumer, event_id, processed_at FROM inbox_events WHERE consumer = $1 AND event_id = ANY($2)',
          [databases.postgres.consumer, eventIds],
        );
        deliveries.push(...rows);
      }
      const settled = events.every((e) => e.sent_at !== null) && deliveries.length === seen;
      if (settled || Date.now() > giveUpAt) return { events, deliveries };
      seen = deliveries.length;
    }
  } finally {
    await Promise.all([...mariadb.map((connection) => connection.end()), postgres.end()]);
  }
}
