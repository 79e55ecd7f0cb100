import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { dropShopDatabases } from '../databases';
import { mintToken } from '../dev-keys';
import { runGhz } from '../ghz';
import { REPO_ROOT, shopBeside } from '../layout';
import { Supervisor, grpcServing } from '../supervisor';
import { autocannon } from './autocannon';
import { startBareEnvoy } from './bare-envoy';
import { benchEnvoyConfig } from './envoy';
import { fillShop, growthTable, timeMyPageRebuild } from './growth';
import { purchaseHops } from './hops';
import { cpuBetween, cpuSnapshot, settle } from './cpu';
import { plainInsertCommitLoop, plainPointReadLoop } from './plain-mysql';
import { purchaseToMyPage } from './purchase';
import { checkTargets, cpuTable, hopsTable, roundTripsLine, statementsTable, table, targetLines, typicalRuns } from './report';
import { countsBetween, statementCounts } from './statements';
import { commonestErrors, fromGhz, type Path, type Result } from './result';
import { tracingCostTable, tracingEnvoyConfig, tracingServiceEnv, tracingSettings, type TracingSetting } from './tracing';

/**
 * `npm run bench`: ghz (and autocannon for REST) against a shop of its own, every figure beside
 * the ceiling measured in the same run, as a ratio. Speed is reported here, never asserted in tests.
 */
const BENCH = shopBeside('bench', { edge: 17_000, grpc: 6_000, metrics: 7_000 });
const ECHO_PORT = 27099;
const BARE_ENVOY_PORT = 27098;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Each scenario first runs this long unmeasured, so the first measured one is not the one that warms the JIT and the pools. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
/** Rounds of every scenario, interleaved: each round's ratios are computed within it, and their spread reported. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const PURCHASE_RATE = Number(process.env.BENCH_PURCHASE_RATE ?? 200);
/**
 * `npm run bench:growth`: how many paid orders to fill the shop with between a round on empty
 * tables and a round on full ones (bench/growth.ts), over BENCH_GROWTH_CUSTOMERS customers.
 */
const GROWTH = process.env.BENCH_GROWTH_ORDERS
  ? { orders: Number(process.env.BENCH_GROWTH_ORDERS), customers: Number(process.env.BENCH_GROWTH_CUSTOMERS ?? 10_000) }
  : undefined;
/**
 * A comma-separated subset of scenarios: echo (direct, through our Envoy, through a bare Envoy),
 * GetProduct, GetOrder, ListOrders, mypage, PlaceOrder, plain, roundtrip, purchase, hops. The growth bench
 * runs the direct paths of getorder, listorders, mypage, placeorder and hops unless told otherwise.
 */
const ONLY = (process.env.BENCH_ONLY ?? (GROWTH ? 'getorder,listorders,mypage,placeorder,hops' : undefined))?.split(',').map((s) => s.trim().toLowerCase());
const ONLY_DIRECT = GROWTH !== undefined;
/** The services' log level: `warn` leaves out the per-call access logs (the services' and Envoy's); `info` measures them too. */
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const ACCESS_LOGS = ['info', 'debug', 'trace'].includes(LOG_LEVEL);
/**
 * The bench shop's payment window, and the plain loop's: no order the bench writes may expire
 * while it runs. An expiry is a saga of its own (a transaction, OrderExpired, three consumers), and
 * the sweep works off 100 a run: the plain loop's orders, overdue at once, used to be expired at
 * 20 a second under every scenario after it, and in its 5-second bursts.
 */
const PAYMENT_WINDOW_SECONDS = 24 * 3600;
/**
 * How the shop traces (bench/tracing.ts): `off` (the default: the figures above are the shop's own
 * cost), a sampling ratio, or several, e.g. `off,0.1,1` (`npm run bench:tracing`): each round then
 * runs every setting, each in a shop started for it, and the report adds what tracing costs.
 */
const TRACING = tracingSettings(process.env.BENCH_TRACING ?? 'off');
/** Writes a CPU profile of every service (.cpuprofile, open in Chrome DevTools) when they stop. */
const PROFILE = process.env.BENCH_PROFILE === 'true';
/**
 * PlaceOrder spreads over these products: one hot row would serialise every order on its lock.
 * The reads go round them too (and round as many orders), so concurrent reads ask for different
 * rows, as a shop's customers would, not all for one.
 */
const BENCH_PRODUCTS = Array.from({ length: 100 }, (_, i) => `bench-item-${i}`);

/** Products the PlaceOrder and purchase scenarios cannot run out of. */
async function seedBenchProducts(database: string): Promise<void> {
  const connection = await createConnection({ host: '127.0.0.1', user: 'funshop', password: 'funshop', database });
  for (const productId of BENCH_PRODUCTS) {
    await connection.query('INSERT INTO products (product_id, name, price_krw, stock) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE stock = VALUES(stock)', [
      productId,
      `Benchmark item ${productId}`,
      1_000,
      1_000_000_000,
    ]);
  }
  await connection.end();
}

/**
 * The token of page `page` of the customer "bench"'s orders, `pageSize` a page (REST through
 * Envoy): what a customer paging deep into a long history sends.
 */
async function listOrdersPageToken(page: number, pageSize: number): Promise<string> {
  let token = '';
  for (let i = 1; i < page; i++) {
    const response = await fetch(`http://127.0.0.1:${BENCH.envoyPort}/orders?pageSize=${pageSize}&pageToken=${encodeURIComponent(token)}`, {
      headers: { authorization: `Bearer ${mintToken('bench')}` },
    });
    if (!response.ok) throw new Error(`listing the bench orders: HTTP ${response.status} ${await response.text()}`);
    token = ((await response.json()) as { nextPageToken?: string }).nextPageToken ?? '';
    if (!token) throw new Error(`the bench customer has fewer than ${page} pages of ${pageSize} orders`);
  }
  return token;
}

/** The orders GetOrder reads: one per bench product, placed by the customer "bench". */
async function placeBenchOrders(): Promise<string[]> {
  const orderIds: string[] = [];
  for (const productId of BENCH_PRODUCTS) {
    const placed = await fetch(`http://127.0.0.1:${BENCH.envoyPort}/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mintToken('bench')}` },
      body: JSON.stringify({ items: [{ productId, quantity: 1 }] }),
    });
    if (!placed.ok) throw new Error(`placing a bench order: HTTP ${placed.status} ${await placed.text()}`);
    orderIds.push(((await placed.json()) as { order: { orderId: string } }).order.orderId);
  }
  return orderIds;
}

interface Scenario {
  key: string;
  label: string;
  run: (seconds: number) => Promise<Result>;
}

function scenarios(orderIds: string[], deepPageToken: string): Scenario[] {
  const port = (name: string) => BENCH.services.find((s) => s.name === name)!.grpcPort;
  const database = (name: string) => BENCH.services.find((s) => s.name === name)!.database;
  const envoy = `127.0.0.1:${BENCH.envoyPort}`;
  const target = (path: Path, service: string) => (path === 'direct' ? `127.0.0.1:${port(service)}` : envoy);
  const token = { authorization: `Bearer ${mintToken('bench')}` };
  const ghz = (key: string, scenario: string, path: Path, config: string, overrides: { target: string; data?: object }) => ({
    key,
    label: `${scenario} ${path}`,
    // Through Envoy every call carries a bearer token: its verification is part of what is measured.
    run: async (seconds: number) =>
      fromGhz(scenario, path, await runGhz({ config, concurrency: CONCURRENCY, seconds, ...(path === 'envoy' ? { metadata: token } : {}), ...overrides })),
  });
  const list: Scenario[] = [
    ghz('echo', 'echo', 'direct', 'bench/ghz/echo.json', { target: `127.0.0.1:${ECHO_PORT}` }),
    ghz('echo', 'echo', 'envoy', 'bench/ghz/echo.json', { target: envoy }),
    // The gateway's ceiling: Envoy routing to the same echo and doing nothing else.
    ghz('echo', 'echo', 'bare', 'bench/ghz/echo.json', { target: `127.0.0.1:${BARE_ENVOY_PORT}` }),
  ];
  for (const path of ['direct', 'envoy'] as const) {
    // An array of requests: ghz sends them round-robin, one per call.
    list.push(
      ghz('getproduct', 'GetProduct', path, 'bench/ghz/get-product.json', {
        target: target(path, 'order'),
        data: BENCH_PRODUCTS.map((id) => ({ product_id: id })),
      }),
    );
    list.push(ghz('getorder', 'GetOrder', path, 'bench/ghz/get-order.json', { target: target(path, 'order'), data: orderIds.map((id) => ({ order_id: id })) }));
    // Keyset paging: the tenth page should cost what the first does, however long the history.
    list.push(ghz('listorders', 'ListOrders first page', path, 'bench/ghz/list-orders.json', { target: target(path, 'order') }));
    list.push(
      ghz('listorders', 'ListOrders page 10', path, 'bench/ghz/list-orders.json', {
        target: target(path, 'order'),
        data: { page_size: 10, page_token: deepPageToken },
      }),
    );
    list.push(ghz('mypage', 'GetMyPage', path, 'bench/ghz/get-my-page.json', { target: target(path, 'customer') }));
  }
  const rest =
    (scenario: string, paths: string[], headers: Record<string, string> = {}) =>
    (seconds: number) =>
      autocannon(scenario, { url: `http://${envoy}`, paths, concurrency: CONCURRENCY, seconds, headers });
  list.push({
    key: 'getproduct',
    label: 'GetProduct rest',
    run: rest(
      'GetProduct',
      BENCH_PRODUCTS.map((id) => `/products/${id}`),
    ),
  });
  list.push({
    key: 'getorder',
    label: 'GetOrder rest',
    run: rest(
      'GetOrder',
      orderIds.map((id) => `/orders/${id}`),
      token,
    ),
  });
  for (const path of ['direct', 'envoy'] as const)
    list.push(ghz('placeorder', 'PlaceOrder', path, 'bench/ghz/place-order.json', { target: target(path, 'order') }));
  list.push({
    key: 'plain',
    label: 'plain mysql2 insert+commit',
    run: (seconds) => plainInsertCommitLoop(database('order'), BENCH_PRODUCTS, CONCURRENCY, seconds, PAYMENT_WINDOW_SECONDS),
  });
  list.push({
    key: 'roundtrip',
    label: 'plain mysql2 point read',
    run: (seconds) => plainPointReadLoop(database('order'), BENCH_PRODUCTS, CONCURRENCY, seconds),
  });
  for (const path of ['direct', 'envoy'] as const) {
    // A customer of its own per run and path, so the my page holds just these purchases.
    const customerId = `bench-purchase-${path}-${Date.now()}`;
    const identity: Record<string, string> = path === 'direct' ? { 'x-customer-id': customerId } : { authorization: `Bearer ${mintToken(customerId)}` };
    list.push({
      key: 'purchase',
      label: `purchase→my page ${path} at ${PURCHASE_RATE}/s`,
      run: (seconds) =>
        purchaseToMyPage(
          path,
          { order: target(path, 'order'), myPage: target(path, 'customer'), customerId, identity },
          { rate: PURCHASE_RATE, seconds, products: BENCH_PRODUCTS },
        ),
    });
  }
  list.push({
    key: 'hops',
    label: `purchase hops direct at ${PURCHASE_RATE}/s`,
    run: (seconds) =>
      purchaseHops(
        target('direct', 'order'),
        {
          mariadb: ['order', 'payment', 'cart'].map((name) => ({ database: database(name), consumer: name })),
          postgres: { database: database('customer'), consumer: 'customer' },
        },
        { rate: PURCHASE_RATE, seconds, products: BENCH_PRODUCTS },
      ),
  });
  return list.filter((s) => (!ONLY || ONLY.includes(s.key)) && (!ONLY_DIRECT || !/ (envoy|rest|bare)$/.test(s.label)));
}

/** A bench shop started for one tracing setting, with its scenarios ready to run. */
interface RunningShop {
  tracing: TracingSetting;
  supervisor: Supervisor;
  scenarios: Scenario[];
  warm: boolean;
}

async function startShop(tracing: TracingSetting, nodeArgs: string[]): Promise<RunningShop> {
  const supervisor = new Supervisor(BENCH, {
    echoLogs: false,
    serviceEnv: { LOG_LEVEL, ORDER_PAYMENT_WINDOW_SECONDS: String(PAYMENT_WINDOW_SECONDS), ...tracingServiceEnv(tracing) },
    nodeArgs,
    adjustEnvoyConfig: (config) => tracingEnvoyConfig(benchEnvoyConfig(config, { echoPort: ECHO_PORT, accessLogs: ACCESS_LOGS }), tracing),
  });
  console.log(`[bench] starting the bench shop, tracing ${tracing.label} (Envoy on :${BENCH.envoyPort}, logs in ${BENCH.runDir})`);
  try {
    await supervisor.start();
    await seedBenchProducts(BENCH.services.find((s) => s.name === 'order')!.database);
    const orderIds = await placeBenchOrders();
    return { tracing, supervisor, scenarios: scenarios(orderIds, await listOrdersPageToken(10, 10)), warm: false };
  } catch (error) {
    await supervisor.stop();
    throw error;
  }
}

/** Every scenario once on `shop`; a shop's first round warms each scenario up first. */
async function runRound(shop: RunningShop, step: string): Promise<Result[]> {
  const results: Result[] = [];
  for (const [index, scenario] of shop.scenarios.entries()) {
    process.stdout.write(`[bench] ${step}${index + 1}/${shop.scenarios.length} ${scenario.label} (${SECONDS} s) … `);
    if (!shop.warm && WARMUP_SECONDS > 0) {
      await settle();
      await scenario.run(WARMUP_SECONDS);
    }
    await settle();
    const [before, statementsBefore] = [cpuSnapshot(), await statementCounts()];
    const r = await scenario.run(SECONDS);
    r.cpu = { ...cpuBetween(before, cpuSnapshot()), ...(r.clientCpuSeconds ? { 'bench client': r.clientCpuSeconds } : {}) };
    // After the work the scenario caused has settled (the events it published, handled).
    await settle();
    r.statements = countsBetween(statementsBefore, await statementCounts());
    results.push(r);
    console.log(`${Math.round(r.rps)}/s, p99 ${r.p99.toFixed(1)} ms, ${r.errors} errors${r.errors ? ` (${commonestErrors(r)})` : ''}`);
  }
  shop.warm = true;
  return results;
}

/**
 * The growth bench: the scenarios on the bench shop's empty tables, then again after filling them
 * (bench/growth.ts), then the my page rebuilt from all it has stored, timed.
 */
async function growthBench(nodeArgs: string[], size: { orders: number; customers: number }): Promise<void> {
  const shop = await startShop(TRACING[0], nodeArgs);
  try {
    // Rounds on each side, each figure from the median round: one run moves by 10–30 % here.
    const emptyRounds: Result[][] = [];
    for (let round = 1; round <= ROUNDS; round++) emptyRounds.push(await runRound(shop, `empty tables, round ${round}/${ROUNDS}, `));
    const filling = performance.now();
    console.log(`[bench] filling the shop's databases with ${size.orders} paid orders over ${size.customers} customers …`);
    await fillShop(BENCH, size);
    // The databases write out what the fill left in memory for a while after it: measure after.
    await settle(600_000);
    console.log(`[bench] filled in ${((performance.now() - filling) / 1000).toFixed(0)} s, the databases quiet again`);
    // The fill pushed what the scenarios had cached out of the databases' memory: warm up again.
    shop.warm = false;
    const fullRounds: Result[][] = [];
    for (let round = 1; round <= ROUNDS; round++) fullRounds.push(await runRound(shop, `full tables, round ${round}/${ROUNDS}, `));
    const [empty, full] = [typicalRuns(emptyRounds), typicalRuns(fullRounds)];
    console.log('[bench] rebuilding the my page from its stored events …');
    const rebuildSeconds = await timeMyPageRebuild(BENCH);
    const events = 2 * size.orders;
    console.log(`\n${growthTable(empty, full, size)}`);
    console.log(`\nCPU milliseconds per request, by component, empty tables:\n${cpuTable(empty)}\nfull tables:\n${cpuTable(full)}`);
    console.log(`\nDatabase round trips per request, empty tables:\n${statementsTable(empty)}\nfull tables:\n${statementsTable(full)}`);
    console.log(
      `\nMy page rebuild: ${rebuildSeconds.toFixed(1)} s for about ${events.toLocaleString('en')} stored events, ${((rebuildSeconds * 1_000_000) / events).toFixed(0)} s per million`,
    );
    writeFileSync(
      resolve(BENCH.runDir, 'growth.json'),
      JSON.stringify({ date: new Date().toISOString(), seconds: SECONDS, size, emptyRounds, fullRounds, rebuildSeconds, storedEvents: events }, null, 2),
    );
    console.log(`\n[bench] results: ${resolve(BENCH.runDir, 'growth.json')}`);
  } finally {
    await shop.supervisor.stop();
  }
}

async function main(): Promise<void> {
  mkdirSync(BENCH.runDir, { recursive: true });
  const profiles = resolve(BENCH.runDir, 'profiles');
  const nodeArgs = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`] : [];
  const echo = spawn(process.execPath, [resolve(REPO_ROOT, 'tools/dist/bench/echo-server.js')], {
    env: { ...process.env, ECHO_GRPC_PORT: String(ECHO_PORT) },
    stdio: 'inherit',
  });
  const bareEnvoy = startBareEnvoy(resolve(BENCH.runDir, 'bare-envoy.yaml'), BARE_ENVOY_PORT, ECHO_PORT);
  // Rounds of every scenario, per tracing setting: bySetting[setting][round].
  const bySetting: Result[][][] = TRACING.map(() => []);
  let shop: RunningShop | undefined;
  try {
    // Fresh databases: orders left by an earlier run would expire during this one and skew it.
    await dropShopDatabases('funshop_bench_');
    for (const port of [ECHO_PORT, BARE_ENVOY_PORT]) while (!(await grpcServing(`127.0.0.1:${port}`))) await new Promise((r) => setTimeout(r, 100));
    if (GROWTH) return await growthBench(nodeArgs, GROWTH);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [index, tracing] of TRACING.entries()) {
        // One shop for all rounds when there is one setting; a shop of its own per setting otherwise.
        if (shop?.tracing !== tracing) {
          await shop?.supervisor.stop();
          shop = undefined;
          shop = await startShop(tracing, nodeArgs);
        }
        const step = [ROUNDS > 1 ? `round ${round}/${ROUNDS}` : '', TRACING.length > 1 ? `tracing ${tracing.label}` : ''].filter(Boolean).join(', ');
        bySetting[index].push(await runRound(shop, step ? `${step}, ` : ''));
      }
    }
  } finally {
    await shop?.supervisor.stop();
    echo.kill('SIGTERM');
    bareEnvoy.kill('SIGTERM');
  }

  const warmup = WARMUP_SECONDS > 0 ? `, after ${WARMUP_SECONDS} s of warm-up each` : '';
  const typicalBySetting = bySetting.map(typicalRuns);
  const checksBySetting = bySetting.map((rounds) => rounds.map((results) => checkTargets(results, PURCHASE_RATE)));
  for (const [index, tracing] of TRACING.entries()) {
    const typical = typicalBySetting[index];
    console.log(
      `\nFunshop benchmark: ${SECONDS} s per scenario${warmup}, concurrency ${CONCURRENCY}, ${ROUNDS} round(s), tracing ${tracing.label}, ${new Date().toISOString()}`,
    );
    if (ROUNDS > 1) console.log("  (each figure from the round with the median rps; every round's rps beside it)");
    console.log(table(typical));
    console.log(
      `\nCPU milliseconds per request, by component (${cpus().length} cores: ${cpus().length * 1000} ms of CPU a second in all):\n${cpuTable(typical)}`,
    );
    console.log(`\nDatabase round trips per request (server-wide counters, including the events each request caused):\n${statementsTable(typical)}`);
    const roundTrips = roundTripsLine(typical);
    if (roundTrips) console.log(`\n${roundTrips}`);
    for (const result of typical.filter((r) => r.hops)) console.log(`\n${hopsTable(result, PURCHASE_RATE)}`);
    console.log(`\nTargets (ratios within each round${ROUNDS > 1 ? '; one figure per round' : ''}):\n${targetLines(checksBySetting[index])}`);
  }
  if (TRACING.length > 1) console.log(`\n${tracingCostTable(TRACING, typicalBySetting)}`);
  const file = resolve(BENCH.runDir, 'results.json');
  writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        concurrency: CONCURRENCY,
        purchaseRate: PURCHASE_RATE,
        // The first tracing setting's rounds and targets; every setting's under `tracing`.
        rounds: bySetting[0],
        targets: checksBySetting[0],
        tracing: TRACING.map((setting, index) => ({ setting: setting.label, rounds: bySetting[index], targets: checksBySetting[index] })),
      },
      null,
      2,
    ),
  );
  console.log(`\n[bench] results: ${file}${PROFILE ? `; CPU profiles: ${profiles}` : ''}`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`[bench] ${error.message}`);
    process.exit(1);
  },
);
