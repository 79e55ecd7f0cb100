import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from './layout';

export interface GhzDetail {
  timestamp: string;
  latency: number;
  error: string;
  status: string;
}

/** The parts of ghz's JSON report the tools read (latencies in nanoseconds). */
export interface GhzReport {
  count: number;
  rps: number;
  latencyDistribution: { percentage: number; latency: number }[] | null;
  statusCodeDistribution: Record<string, number>;
  errorDistribution?: Record<string, number> | null;
  details?: GhzDetail[];
}

/** ghz cancels the calls still in flight when a timed run ends: those are no verdict on the shop. */
export function cutOffByTheRunsEnd(error: string): boolean {
  return /context canceled|transport is closing/.test(error);
}

/** One timed ghz run against `target`, with the contracts' descriptor set, read as JSON. */
export function runGhz(options: {
  target: string;
  call: string;
  data: object;
  metadata?: object;
  concurrency: number;
  seconds: number;
  connections?: number;
}): Promise<GhzReport> {
  const args = [
    '--insecure', '--protoset', resolve(REPO_ROOT, 'proto/gen/funshop.binpb'), '--call', options.call,
    '-d', JSON.stringify(options.data), '-m', JSON.stringify(options.metadata ?? {}),
    '-c', String(options.concurrency), '-z', `${options.seconds}s`, '--connections', String(options.connections ?? 1), '-O', 'json',
    options.target,
  ];
  return new Promise((done, fail) =>
    execFile('ghz', args, { maxBuffer: 1024 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!stdout) return fail(new Error(`ghz failed: ${stderr || error?.message}`));
      done(JSON.parse(stdout) as GhzReport);
    }),
  );
}
