import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../layout';
import type { Result } from './result';

/** REST through Envoy's transcoder, with autocannon (ghz speaks only gRPC). */
export function autocannon(scenario: string, url: string, options: { concurrency: number; seconds: number; headers?: Record<string, string> }): Promise<Result> {
  const args = [resolve(REPO_ROOT, 'node_modules/autocannon/autocannon.js'), '-c', String(options.concurrency), '-d', String(options.seconds), '-j', '--latency'];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}=${value}`);
  args.push(url);
  return new Promise((done, fail) =>
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!stdout) return fail(new Error(`autocannon: ${stderr || error?.message}`));
      const report = JSON.parse(stdout) as {
        requests: { average: number; total: number };
        latency: { p50: number; p97_5: number; p99: number };
        non2xx: number;
        errors: number;
      };
      done({
        scenario,
        path: 'rest',
        rps: report.requests.average,
        p50: report.latency.p50,
        // autocannon reports p90 and p97.5, not p95: the more conservative p97.5 stands in for it.
        p95: report.latency.p97_5,
        p99: report.latency.p99,
        errors: report.non2xx + report.errors,
        requests: report.requests.total,
      });
    }),
  );
}
