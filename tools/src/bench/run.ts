import { execFile, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createConnection, createPool } from 'mysql2/promise';
import { mintToken } from '../dev-keys';
import { cutOffByTheRunsEnd, runGhz } from '../ghz';
import { REPO_ROOT, shopBeside } from '../layout';
import { Supervisor, grpcServing } from '../supervisor';

/**
 * `npm run bench`: ghz (and autocannon for REST) against a shop of its own, every figure beside
 * the ceiling measured in the same run, as a ratio. Speed is reported here, never asserted in tests.
 */
const BENCH = shopBeside('bench', { edge: 50_000, grpc: 6_000, metrics: 40_000 });
const ECHO_PORT = 57099;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** PlaceOrder spreads over this many products: one hot row would serialise every order on its lock. */
const BENCH_PRODUCTS = 100;
const BENCH_PRODUCT = 'bench-item-0';

/** The bench Envoy: the committed config plus a route to the echo ceiling, and no edge rate limit. */
function benchEnvoy(config: string): string {
  return config
    .replace(
      '                        - match: { prefix: "/" }\n                          direct_response:',
      `                        - match: { prefix: "/funshop.bench.v1.EchoService/" }\n                          route: { cluster: echo, timeout: 15s }\n                        - match: { prefix: "/" }\n                          direct_response:`,
    )
    .replace('token_bucket: { max_tokens: 200, tokens_per_fill: 100, fill_interval: 1s }', 'token_bucket: { max_tokens: 1000000, tokens_per_fill: 1000000, fill_interval: 1s }')
    .concat(`    - name: echo
      type: STATIC
      connect_timeout: 1s
      typed_extension_protocol_options: *http2
      load_assignment:
        cluster_name: echo
        endpoints:
          - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: 127.0.0.1, port_value: ${ECHO_PORT} }
      circuit_breakers: *circuit_breakers
`);
}

interface Result {
  scenario: string;
  path: 'direct' | 'envoy' | 'rest';
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  requests: number;
}

async function ghz(scenario: string, path: 'direct' | 'envoy', target: string, call: string, data: object, metadata: object = {}): Promise<Result> {
  const report = await runGhz({ target, call, data, metadata, concurrency: CONCURRENCY, seconds: SECONDS, connections: 4 });
  const at = (p: number) => (report.latencyDistribution?.find((d) => d.percentage === p)?.latency ?? Number.NaN) / 1e6;
  const cutOff = Object.entries(report.errorDistribution ?? {})
    .filter(([message]) => cutOffByTheRunsEnd(message))
    .reduce((sum, [, n]) => sum + n, 0);
  const ok = report.statusCodeDistribution.OK ?? 0;
  return { scenario, path, rps: report.rps, p50: at(50), p95: at(95), p99: at(99), errors: report.count - ok - cutOff, requests: report.count - cutOff };
}

function autocannon(scenario: string, url: string, headers: Record<string, string> = {}): Promise<Result> {
  const args = [resolve(REPO_ROOT, 'node_modules/autocannon/autocannon.js'), '-c', String(CONCURRENCY), '-d', String(SECONDS), '-j', '--latency'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  args.push(url);
  return new Promise((done, fail) =>
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!stdout) return fail(new Error(`autocannon: ${stderr || error?.message}`));
      const report = JSON.parse(stdout) as {
        requests: { average: number; total: number };
        latency: { p50: number; p97_5: number; p99: number; p90: number };
        non2xx: number;
        errors: number;
      };
      done({
        scenario,
        path: 'rest',
        rps: report.requests.average,
        p50: report.latency.p50,
        // autocannon reports p90 and p97.5; p95 is taken as the nearer, more conservative p97.5.
        p95: report.latency.p97_5,
        p99: report.latency.p99,
        errors: report.non2xx + report.errors,
        requests: report.requests.total,
      });
    }),
  );
}

/** Products the PlaceOrder scenario cannot run out of. */
async function seedBenchProducts(): Promise<void> {
  const order = BENCH.services.find((s) => s.name === 'order')!;
  const connection = await createConnection({ host: '127.0.0.1', user: 'funshop', password: 'funshop', database: order.database });
  for (let i = 0; i < BENCH_PRODUCTS; i++) {
    await connection.query(
      'INSERT INTO products (product_id, name, price_krw, stock) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE stock = VALUES(stock)',
      [`bench-item-${i}`, `Benchmark item ${i}`, 1_000, 1_000_000_000],
    );
  }
  await connection.end();
}

/**
 * The database's own ceiling for PlaceOrder: the same rows (stock update, order, line, outbox
 * event) written by plain mysql2 in one durable transaction each, at the same concurrency.
 */
async function plainInsertCommitLoop(): Promise<Result> {
  const order = BENCH.services.find((s) => s.name === 'order')!;
  const pool = createPool({ host: '127.0.0.1', user: 'funshop', password: 'funshop', database: order.database, connectionLimit: CONCURRENCY });
  const latencies: number[] = [];
  const end = Date.now() + SECONDS * 1000;
  let sequence = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const connection = await pool.getConnection();
      while (Date.now() < end) {
        const started = performance.now();
        const orderId = randomUUID();
        const productId = `bench-item-${sequence++ % BENCH_PRODUCTS}`;
        await connection.beginTransaction();
        await connection.query('UPDATE products SET stock = stock - 1 WHERE product_id = ? AND stock >= 1', [productId]);
        await connection.query(
          "INSERT INTO orders (order_id, customer_id, status, total_krw, version, created_at, updated_at, expires_at) VALUES (?, 'bench-plain', 'PENDING_PAYMENT', 1000, 1, NOW(6), NOW(6), NOW(6))",
          [orderId],
        );
        await connection.query("INSERT INTO order_lines (order_id, line_no, product_id, product_name, unit_price_krw, quantity) VALUES (?, 1, ?, 'x', 1000, 1)", [orderId, productId]);
        await connection.query(
          "INSERT INTO outbox_events (event_id, event_type, aggregate_type, aggregate_id, sequence, occurred_at, correlation_id, causation_id, content_type, payload, sent_at) VALUES (?, 'bench.Plain', 'order', ?, 1, NOW(6), 'bench', 'bench', 'application/x-protobuf', ?, NOW(6))",
          [randomUUID(), orderId, Buffer.alloc(120)],
        );
        await connection.commit();
        latencies.push(performance.now() - started);
      }
      connection.release();
    }),
  );
  await pool.end();
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return { scenario: 'plain mysql2', path: 'direct', rps: latencies.length / SECONDS, p50: at(50), p95: at(95), p99: at(99), errors: 0, requests: latencies.length };
}

async function main(): Promise<void> {
  mkdirSync(BENCH.runDir, { recursive: true });
  const echo = spawn(process.execPath, [resolve(REPO_ROOT, 'tools/dist/bench/echo-server.js')], { env: { ...process.env, ECHO_GRPC_PORT: String(ECHO_PORT) }, stdio: 'inherit' });
  const shop = new Supervisor(BENCH, { echoLogs: false, serviceEnv: { LOG_LEVEL: 'warn' }, adjustEnvoyConfig: benchEnvoy });
  const results: Result[] = [];
  try {
    while (!(await grpcServing(`127.0.0.1:${ECHO_PORT}`))) await new Promise((r) => setTimeout(r, 100));
    await shop.start();
    await seedBenchProducts();
    const order = BENCH.services.find((s) => s.name === 'order')!;
    const direct = `127.0.0.1:${order.grpcPort}`;
    const envoy = `127.0.0.1:${BENCH.envoyPort}`;
    const customer = { 'x-customer-id': 'bench' };
    const token = { authorization: `Bearer ${mintToken('bench')}` };
    const placed = await fetch(`http://${envoy}/orders`, { method: 'POST', headers: token, body: JSON.stringify({ items: [{ productId: BENCH_PRODUCT, quantity: 1 }] }) });
    const orderId = ((await placed.json()) as { order: { orderId: string } }).order.orderId;

    const run = async (result: Promise<Result>) => {
      const r = await result;
      results.push(r);
      console.log(`[bench] ${r.scenario.padEnd(12)} ${r.path.padEnd(6)} ${Math.round(r.rps).toString().padStart(7)} rps  p99 ${r.p99.toFixed(1)} ms  errors ${r.errors}`);
    };
    const echoCall = ['funshop.bench.v1.EchoService.Echo', { message: 'ping' }] as const;
    await run(ghz('echo', 'direct', `127.0.0.1:${ECHO_PORT}`, ...echoCall));
    // Through Envoy with a bearer token, like every authenticated call: its verification is part of the ceiling.
    await run(ghz('echo', 'envoy', envoy, ...echoCall, token));
    for (const [path, target] of [['direct', direct], ['envoy', envoy]] as const) {
      await run(ghz('GetProduct', path, target, 'funshop.order.v1.CatalogService.GetProduct', { product_id: 'desk-lamp' }));
      await run(ghz('GetOrder', path, target, 'funshop.order.v1.OrderService.GetOrder', { order_id: orderId }, path === 'direct' ? customer : token));
      // ghz fills in a random product per call (its template syntax).
      const randomItem = { items: [{ product_id: `bench-item-{{randomInt 0 ${BENCH_PRODUCTS}}}`, quantity: 1 }] };
      await run(ghz('PlaceOrder', path, target, 'funshop.order.v1.OrderService.PlaceOrder', randomItem, path === 'direct' ? customer : token));
    }
    await run(plainInsertCommitLoop());
    await run(autocannon('GetProduct', `http://${envoy}/products/desk-lamp`));
    await run(autocannon('GetOrder', `http://${envoy}/orders/${orderId}`, token));
  } finally {
    await shop.stop();
    echo.kill('SIGTERM');
  }

  const ceiling = (path: string) => results.find((r) => r.scenario === 'echo' && r.path === (path === 'rest' ? 'envoy' : path))!.rps;
  const plain = results.find((r) => r.scenario === 'plain mysql2')!;
  const placeDirect = results.find((r) => r.scenario === 'PlaceOrder' && r.path === 'direct')!;
  console.log(`\nFunshop benchmark: ${SECONDS} s per scenario, concurrency ${CONCURRENCY}, ${new Date().toISOString()}`);
  console.log(`  ${'scenario'.padEnd(12)} ${'path'.padEnd(7)} ${'rps'.padStart(8)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'errors'.padStart(7)}  of echo`);
  for (const r of results) {
    const ms = (v: number) => `${v.toFixed(1)}ms`.padStart(8);
    console.log(`  ${r.scenario.padEnd(12)} ${r.path.padEnd(7)} ${Math.round(r.rps).toString().padStart(8)} ${ms(r.p50)} ${ms(r.p95)} ${ms(r.p99)} ${String(r.errors).padStart(7)}  ${(r.rps / ceiling(r.path)).toFixed(2)}`);
  }
  console.log(`\n  PlaceOrder direct is ${(placeDirect.rps / plain.rps).toFixed(2)} of a plain mysql2 loop writing the same rows (${Math.round(plain.rps)} transactions/s).`);
  const file = resolve(BENCH.runDir, 'results.json');
  writeFileSync(file, JSON.stringify({ seconds: SECONDS, concurrency: CONCURRENCY, results }, null, 2));
  console.log(`\n[bench] results: ${file} ("of echo": the scenario's rps over the echo ceiling on the same path; REST is set against echo via Envoy)`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`[bench] ${error.message}`);
    process.exit(1);
  },
);
