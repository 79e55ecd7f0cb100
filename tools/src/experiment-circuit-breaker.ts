import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { mintToken } from './dev-keys';
import { cutOffByTheRunsEnd, runGhz, type GhzDetail } from './ghz';
import { instances, shopBeside } from './layout';
import { Supervisor, seedThresholds } from './supervisor';

/**
 * The seed protected its services with an Istio DestinationRule (http1MaxPendingRequests: 1,
 * maxRequestsPerConnection: 1) and showed with siege that concurrency 1 passes while concurrency
 * 10 is shed (772 requests, 179 failed, 80.13 % availability). This runs the same experiment on
 * Envoy with ghz, then the outlier-ejection scenario: one of two payment instances goes bad.
 */
const EXPERIMENT = shopBeside('experiment', { edge: 20_000, grpc: 1_000, metrics: 10_000 });
const SECONDS_PER_RUN = Number(process.env.EXPERIMENT_SECONDS ?? 10);
const ADMIN = `http://127.0.0.1:${EXPERIMENT.envoyAdminPort}`;

function ghz(call: string, data: object, concurrency: number, seconds: number, metadata: object = {}): Promise<GhzDetail[]> {
  return runGhz({ target: `127.0.0.1:${EXPERIMENT.envoyPort}`, call, data, metadata, concurrency, seconds }).then((report) => report.details ?? []);
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const ms = (ns: number) => (Number.isNaN(ns) ? '–' : `${(ns / 1e6).toFixed(1)} ms`);

function summarize(label: string, all: GhzDetail[]) {
  const details = all.filter((d) => !cutOffByTheRunsEnd(d.error));
  const ok = details.filter((d) => d.status === 'OK');
  const shed = details.filter((d) => d.status !== 'OK');
  return {
    label,
    cutOff: all.length - details.length,
    requests: details.length,
    successes: ok.length,
    failures: shed.length,
    availability: details.length ? (100 * ok.length) / details.length : 0,
    successP50: percentile(
      ok.map((d) => d.latency),
      50,
    ),
    successP99: percentile(
      ok.map((d) => d.latency),
      99,
    ),
    shedP50: percentile(
      shed.map((d) => d.latency),
      50,
    ),
    shedP99: percentile(
      shed.map((d) => d.latency),
      99,
    ),
    failureKinds: [...new Set(shed.map((d) => d.error.slice(0, 80)))].slice(0, 3),
  };
}

async function ejectionsActive(): Promise<number> {
  const stats = await (await fetch(`${ADMIN}/stats?filter=^cluster\\.payment\\.outlier_detection\\.ejections_active$`)).text();
  return Number(/ejections_active: (\d+)/.exec(stats)?.[1] ?? 0);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) return Number.NaN;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

async function withShop<T>(options: ConstructorParameters<typeof Supervisor>[1], run: () => Promise<T>): Promise<T> {
  const shop = new Supervisor(EXPERIMENT, options);
  try {
    await shop.start();
    return await run();
  } finally {
    await shop.stop();
  }
}

async function main(): Promise<void> {
  mkdirSync(EXPERIMENT.runDir, { recursive: true });
  const env = { LOG_LEVEL: 'warn', FUNSHOP_TEST_FAULT_SWITCH: 'true' };
  const getProduct = 'funshop.order.v1.CatalogService.GetProduct';

  console.log(`[experiment] 1/2 the seed's thresholds (pending 1, one request per connection), ${SECONDS_PER_RUN} s per run`);
  const breaker = await withShop({ echoLogs: false, serviceEnv: env, adjustEnvoyConfig: seedThresholds }, async () => [
    summarize('concurrency 1', await ghz(getProduct, { product_id: 'desk-lamp' }, 1, SECONDS_PER_RUN)),
    summarize('concurrency 10', await ghz(getProduct, { product_id: 'desk-lamp' }, 10, SECONDS_PER_RUN)),
  ]);

  console.log('[experiment] 2/2 one of two payment instances goes bad, then heals');
  const bad = instances(EXPERIMENT.services.find((s) => s.name === 'payment')!)[1];
  const fault = (method: 'POST' | 'DELETE') => fetch(`http://127.0.0.1:${bad.metricsPort}/fault`, { method });
  const ejection = await withShop({ echoLogs: false, serviceEnv: env }, async () => {
    const metadata = { authorization: `Bearer ${mintToken('experiment')}` };
    const phase = SECONDS_PER_RUN;
    const load = ghz('funshop.payment.v1.PaymentService.ListPayments', {}, 4, 3 * phase, metadata);
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, phase * 1000));
    await fault('POST');
    const timeToEjectMs = await waitFor(async () => (await ejectionsActive()) === 1, phase * 1000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 2 * phase * 1000 - (Date.now() - started))));
    await fault('DELETE');
    const timeToRecoverMs = await waitFor(async () => (await ejectionsActive()) === 0, 70_000);
    const details = await load;
    const stats = await (
      await fetch(`${ADMIN}/stats?filter=^cluster\\.payment\\.(upstream_rq_retry|upstream_rq_retry_success|outlier_detection\\.ejections_enforced_total)$`)
    ).text();
    const stat = (name: string) => Number(new RegExp(`cluster\\.payment\\.${name.replace(/\./g, '\\.')}: (\\d+)`).exec(stats)?.[1] ?? 0);
    const retried = {
      retries: stat('upstream_rq_retry'),
      retriesSucceeded: stat('upstream_rq_retry_success'),
      ejections: stat('outlier_detection.ejections_enforced_total'),
    };
    const window = (from: number, to: number) =>
      details.filter((d) => {
        const at = Date.parse(d.timestamp) - started;
        return at >= from * 1000 && at < to * 1000;
      });
    return {
      timeToEjectMs,
      timeToRecoverMs,
      ...retried,
      phases: [
        summarize('before the fault', window(0, phase)),
        summarize('one instance bad', window(phase, 2 * phase)),
        summarize('healed', window(2 * phase, 3 * phase)),
      ],
    };
  });

  const table = (rows: ReturnType<typeof summarize>[]) =>
    rows.map(
      (r) =>
        `  ${r.label.padEnd(17)} ${String(r.requests).padStart(7)} ${String(r.successes).padStart(7)} ${String(r.failures).padStart(7)} ${r.availability.toFixed(2).padStart(9)} %` +
        `  ${ms(r.successP50).padStart(9)} ${ms(r.successP99).padStart(9)}  ${ms(r.shedP50).padStart(9)} ${ms(r.shedP99).padStart(9)}`,
    );
  const header = `  ${'run'.padEnd(17)} ${'requests'.padStart(7)} ${'ok'.padStart(7)} ${'failed'.padStart(7)} ${'availability'.padStart(11)}  ${'ok p50'.padStart(9)} ${'ok p99'.padStart(9)}  ${'shed p50'.padStart(9)} ${'shed p99'.padStart(9)}`;
  console.log(['', 'Circuit breaker (the seed: c1 100 %; c10 772 requests, 179 failed, 80.13 %)', header, ...table(breaker)].join('\n'));
  for (const row of breaker.filter((r) => r.failures > 0)) console.log(`    ${row.label} failures: ${row.failureKinds.join(' | ')}`);
  console.log('  (calls in flight when a timed run ends are cancelled by ghz and left out of the counts)');
  console.log(['', 'Outlier ejection (2 payment instances, one bad in the middle third)', header, ...table(ejection.phases)].join('\n'));
  console.log(`  time to eject: ${ejection.timeToEjectMs} ms; time until the ejected instance is back: ${ejection.timeToRecoverMs} ms`);
  console.log(`  Envoy retried ${ejection.retries} calls on the other instance (${ejection.retriesSucceeded} succeeded); ejections: ${ejection.ejections}\n`);
  const resultsPath = resolve(EXPERIMENT.runDir, 'results.json');
  writeFileSync(resultsPath, JSON.stringify({ secondsPerRun: SECONDS_PER_RUN, breaker, ejection }, null, 2));
  console.log(`[experiment] results: ${resultsPath}`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`[experiment] ${error.message}`);
    process.exit(1);
  },
);
