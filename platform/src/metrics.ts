import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

type Labels = Record<string, string>;
/** A gauge reads one value, or one per label set (e.g. a row count per table). */
type GaugeReading = number | { labels: Labels; value: number }[];

/**
 * A small Prometheus registry: counters, and gauges read when scraped. Served as text on
 * `/metrics`, where an operator (or Prometheus) reads published/consumed counts and outbox lag.
 */
export class Metrics {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  private readonly gauges = new Map<string, { help: string; read: () => Promise<GaugeReading> }>();

  /** Increments the counter `name`; every caller asking for the same name shares one counter. */
  counter(name: string, help: string): (labels?: Labels, by?: number) => void {
    const counter = this.counters.get(name) ?? { help, values: new Map<string, number>() };
    this.counters.set(name, counter);
    return (labels = {}, by = 1) => {
      const key = formatLabels(labels);
      counter.values.set(key, (counter.values.get(key) ?? 0) + by);
    };
  }

  gauge(name: string, help: string, read: () => Promise<GaugeReading>): void {
    this.gauges.set(name, { help, read });
  }

  /** The current value of a counter, summed over label sets that include `labels`. */
  value(name: string, labels: Labels = {}): number {
    const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    let sum = 0;
    for (const [key, value] of this.counters.get(name)?.values ?? []) if (wanted.every((w) => key.includes(w))) sum += value;
    return sum;
  }

  async render(): Promise<string> {
    const lines: string[] = [];
    for (const [name, { help, values }] of this.counters) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [labels, value] of values) lines.push(`${name}${labels} ${value}`);
    }
    for (const [name, { help, read }] of this.gauges) {
      const reading = await read().catch(() => Number.NaN);
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
      if (typeof reading === 'number') lines.push(`${name} ${reading}`);
      else for (const { labels, value } of reading) lines.push(`${name}${formatLabels(labels)} ${value}`);
    }
    return `${lines.join('\n')}\n`;
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
      void this.render().then((body) => response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body));
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
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',')}}`;
}
