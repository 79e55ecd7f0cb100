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

/**
 * One timed ghz run against `target`. A committed config (bench/ghz/*.json) gives the call and its
 * defaults; what is passed here overrides it.
 */
export function runGhz(options: {
  target: string;
  config?: string;
  call?: string;
  data?: object;
  metadata?: object;
  concurrency?: number;
  seconds?: number;
  connections?: number;
}): Promise<GhzReport> {
  const args = ['--insecure', '--protoset', resolve(REPO_ROOT, 'proto/gen/funshop.binpb'), '-O', 'json'];
  if (options.config) args.push('--config', resolve(REPO_ROOT, options.config));
  if (options.call) args.push('--call', options.call);
  if (options.data) args.push('-d', JSON.stringify(options.data));
  if (options.metadata) args.push('-m', JSON.stringify(options.metadata));
  if (options.concurrency) args.push('-c', String(options.concurrency));
  // "wait": calls still in flight when the time is up finish and count, instead of being
  // cancelled and reported as errors of the service.
  if (options.seconds) args.push('-z', `${options.seconds}s`, '--duration-stop', 'wait');
  if (options.connections) args.push('--connections', String(options.connections));
  args.push(options.target);
  return new Promise((done, fail) =>
    execFile('ghz', args, { cwd: REPO_ROOT, maxBuffer: 1024 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!stdout) return fail(new Error(`ghz failed: ${stderr || error?.message}`));
      done(JSON.parse(stdout) as GhzReport);
    }),
  );
}
