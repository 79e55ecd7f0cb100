import type { Result } from './result';

// autocannon ships no typings: this is the part of its API the bench uses.
interface AutocannonRequest {
  method?: string;
  path?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}
interface AutocannonReport {
  requests: { average: number; total: number };
  latency: { p50: number; p97_5: number; p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  requests: AutocannonRequest[];
}) => Promise<AutocannonReport>;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- autocannon ships no types; the part used is typed above
const run = require('autocannon') as Autocannon;

/**
 * REST through Envoy's transcoder, with autocannon (ghz speaks only gRPC). The requests go
 * round-robin over `paths`, like ghz's over an array of messages.
 */
export async function autocannon(
  scenario: string,
  options: {
    url: string;
    paths: string[];
    concurrency: number;
    seconds: number;
    headers?: Record<string, string>;
  },
): Promise<Result> {
  let next = 0;
  const report = await run({
    url: options.url,
    connections: options.concurrency,
    duration: options.seconds,
    headers: options.headers ?? {},
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: options.paths[next++ % options.paths.length] }) }],
  });
  return {
    scenario,
    path: 'rest',
    rps: report.requests.average,
    p50: report.latency.p50,
    // autocannon reports p90 and p97.5, not p95: the more conservative p97.5 stands in for it.
    p95: report.latency.p97_5,
    p99: report.latency.p99,
    errors: report.non2xx + report.errors,
    requests: report.requests.total,
  };
}
