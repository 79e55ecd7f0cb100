import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import { untraced } from './tracing/spans';

type Labels = Record<string, string>;
/** A gauge reads one value, or one per label set (e.g. a row count per table). */
type GaugeReading = number | { labels: Labels; value: number }[];

/**
 * Latency buckets in seconds, 1 ms to 10 s: a point read takes about a millisecond, an order a
 * few, and a call that waited out its deadline ten seconds.
 */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A service's Prometheus registry (prom-client), served on `/metrics`: counters, histograms,
 * gauges read when scraped, and, for a service process, Node's own process and event-loop
 * metrics. Each instance has its own registry, so tests can run several side by side.
 */
export class Metrics {
  readonly registry = new Registry();

  constructor(options: { processMetrics?: boolean } = {}) {
    // The event-loop delay histogram samples every 50 ms, not prom-client's default 10 ms: that
    // timer woke every service 100 times a second, 7–9 ms of CPU a second each on this machine
    // when idle, about a third of an idle shop's CPU. At 50 ms (1.6 ms a second) every stall of
    // 50 ms or more is still seen, far below any deadline a stall would break.
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 50 });
  }

  /**
   * Increments the counter `name`, whose label names are `labelNames`; every caller asking for
   * the same name shares one counter.
   */
  counter(name: string, help: string, labelNames: readonly string[] = []): (labels?: Labels, by?: number) => void {
    const counter = this.existing<Counter>(name) ?? new Counter({ name, help, labelNames, registers: [this.registry] });
    return (labels = {}, by = 1) => counter.inc(labels, by);
  }

  /**
   * Records observations into the histogram `name`: durations in seconds with the default
   * buckets, or sizes with buckets of their own. Every caller asking for the same name shares it.
   */
  histogram(name: string, help: string, labelNames: readonly string[], buckets = LATENCY_BUCKETS): (labels: Labels, value: number) => void {
    const histogram = this.existing<Histogram>(name) ?? new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
    return (labels, value) => histogram.observe(labels, value);
  }

  /** A gauge read on every scrape; a later registration of the same name replaces the earlier one. */
  gauge(name: string, help: string, read: () => Promise<GaugeReading>, labelNames: readonly string[] = []): void {
    this.registry.removeSingleMetric(name);
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        // A failed read is NaN, as Prometheus expects of a value it could not get.
        const reading = await read().catch(() => Number.NaN);
        this.reset();
        if (typeof reading === 'number') this.set(reading);
        else for (const { labels, value } of reading) this.set(labels, value);
      },
    });
  }

  /** The current value of a counter, summed over the label sets that include `labels`. */
  async value(name: string, labels: Labels = {}): Promise<number> {
    const metric = this.existing<Counter>(name);
    if (!metric) return 0;
    const { values } = await metric.get();
    const wanted = Object.entries(labels);
    return values.filter((value) => wanted.every(([key, expected]) => value.labels[key] === expected)).reduce((sum, value) => sum + value.value, 0);
  }

  render(): Promise<string> {
    // Gauges read tables when scraped: no trace for those statements.
    return untraced(() => this.registry.metrics());
  }

  /** Serves GET /metrics (and any extra routes) on host:port; resolves to the bound port. */
  serve(
    host: string,
    port: number,
    extraRoutes: Record<string, (request: IncomingMessage, response: ServerResponse) => void> = {},
  ): Promise<{ port: number; close: () => Promise<void> }> {
    const server: Server = createServer((request, response) => {
      const extra = extraRoutes[request.url ?? ''];
      if (extra) {
        extra(request, response);
        return;
      }
      if (request.url !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      void this.render().then(
        (body) => response.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
        (error: Error) => response.writeHead(500).end(error.message),
      );
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        const address = server.address();
        resolve({
          port: typeof address === 'object' && address ? address.port : port,
          close: () => new Promise((done) => server.close(() => done())),
        });
      });
    });
  }

  private existing<Kind extends Metric>(name: string): Kind | undefined {
    return this.registry.getSingleMetric(name) as Kind | undefined;
  }
}
