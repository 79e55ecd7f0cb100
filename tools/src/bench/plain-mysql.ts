import { randomUUID } from 'node:crypto';
import { createPool, type PoolConnection } from 'mysql2/promise';
import { fromLatencies, type Result } from './result';

/**
 * The database's own ceiling for PlaceOrder: the same rows (stock update, order, line, outbox
 * event) written by plain mysql2 in one durable transaction each, at the same concurrency. Each
 * order is due for payment within `paymentWindowSeconds`, as PlaceOrder's are.
 */
export async function plainInsertCommitLoop(
  database: string,
  products: string[],
  concurrency: number,
  seconds: number,
  paymentWindowSeconds: number,
): Promise<Result> {
  const { latencies } = await closedLoop(database, concurrency, seconds, async (connection, sequence) => {
    const orderId = randomUUID();
    const productId = products[sequence % products.length];
    await connection.beginTransaction();
    await connection.query('UPDATE products SET stock = stock - 1 WHERE product_id = ? AND stock >= 1', [productId]);
    await connection.query(
      "INSERT INTO orders (order_id, customer_id, status, total_krw, version, created_at, updated_at, expires_at) VALUES (?, 'bench-plain', 'PENDING_PAYMENT', 1000, 1, NOW(6), NOW(6), NOW(6) + INTERVAL ? SECOND)",
      [orderId, paymentWindowSeconds],
    );
    await connection.query("INSERT INTO order_lines (order_id, line_no, product_id, product_name, unit_price_krw, quantity) VALUES (?, 1, ?, 'x', 1000, 1)", [
      orderId,
      productId,
    ]);
    await connection.query(
      "INSERT INTO outbox_events (event_id, event_type, aggregate_type, aggregate_id, sequence, occurred_at, correlation_id, causation_id, content_type, payload, sent_at) VALUES (?, 'bench.Plain', 'order', ?, 1, NOW(6), 'bench', 'bench', 'application/x-protobuf', ?, NOW(6))",
      [randomUUID(), orderId, Buffer.alloc(120)],
    );
    await connection.commit();
  });
  return fromLatencies('plain mysql2', 'direct', latencies, seconds);
}

/**
 * The unit a purchase's cost is made of: one statement round trip. A prepared point read by
 * primary key (mysql2's `execute`, as the services' Statements run theirs), one at a time on each
 * of `concurrency` connections. Its CPU per read, this loop's own (`clientCpuSeconds`) plus
 * MariaDB's, is the least any statement of the shop can cost on this machine; the report divides
 * a purchase's CPU by it (roundTripsLine).
 */
export async function plainPointReadLoop(database: string, products: string[], concurrency: number, seconds: number): Promise<Result> {
  const { latencies, cpuSeconds } = await closedLoop(database, concurrency, seconds, async (connection, sequence) => {
    await connection.execute('SELECT product_id, stock FROM products WHERE product_id = ?', [products[sequence % products.length]]);
  });
  return { ...fromLatencies('plain mysql2 point read', 'direct', latencies, seconds), clientCpuSeconds: cpuSeconds };
}

/**
 * Runs `request` back to back on each of `concurrency` pooled connections for `seconds`; the
 * latency of every request (ms) and the CPU seconds this process used meanwhile. `sequence`
 * counts requests over all connections, to spread them over rows.
 */
async function closedLoop(
  database: string,
  concurrency: number,
  seconds: number,
  request: (connection: PoolConnection, sequence: number) => Promise<void>,
): Promise<{ latencies: number[]; cpuSeconds: number }> {
  const pool = createPool({ host: '127.0.0.1', user: 'funshop', password: 'funshop', database, connectionLimit: concurrency });
  const latencies: number[] = [];
  const end = Date.now() + seconds * 1000;
  let sequence = 0;
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const connection = await pool.getConnection();
      while (Date.now() < end) {
        const started = performance.now();
        await request(connection, sequence++);
        latencies.push(performance.now() - started);
      }
      connection.release();
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  await pool.end();
  return { latencies, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}
