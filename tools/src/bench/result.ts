import { cutOffByTheRunsEnd, type GhzReport } from '../ghz';

/** How a scenario reached its target: directly, through the shop's Envoy (gRPC or REST), or through a bare routing Envoy. */
export type Path = 'direct' | 'envoy' | 'rest' | 'bare';

/** One scenario's figures; latencies in milliseconds. */
export interface Result {
  scenario: string;
  path: Path;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  requests: number;
  /** Why calls failed, by message, so an error count is never a mystery. */
  errorKinds?: Record<string, number>;
  /** CPU seconds each component used during the scenario, so a ratio can be explained. */
  cpu?: Record<string, number>;
  /** A loop the bench runs itself (plain mysql2): the CPU seconds it used, charged as the component `bench client`. */
  clientCpuSeconds?: number;
  /** Statements and commits the databases served during the scenario (bench/statements.ts). */
  statements?: Record<string, number>;
  /** With several rounds: every round's rps, in order, beside the one this result was taken from. */
  rpsByRound?: number[];
  /** The purchase-hops scenario: when each hop happened, in ms since the purchase was due. */
  hops?: { hop: string; p50: number; p99: number }[];
}

export function fromGhz(scenario: string, path: Path, report: GhzReport): Result {
  const at = (p: number) => (report.latencyDistribution?.find((d) => d.percentage === p)?.latency ?? Number.NaN) / 1e6;
  const errorKinds: Record<string, number> = {};
  for (const [message, n] of Object.entries(report.errorDistribution ?? {})) {
    if (!cutOffByTheRunsEnd(message)) for (let i = 0; i < n; i++) countInto(errorKinds, new Error(message));
  }
  const cutOff = Object.entries(report.errorDistribution ?? {})
    .filter(([message]) => cutOffByTheRunsEnd(message))
    .reduce((sum, [, n]) => sum + n, 0);
  const ok = report.statusCodeDistribution.OK ?? 0;
  return {
    scenario,
    path,
    rps: report.rps,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    errors: report.count - ok - cutOff,
    requests: report.count - cutOff,
    errorKinds,
  };
}

/** Figures from latencies measured here (milliseconds), over `seconds` of steady load. */
export function fromLatencies(scenario: string, path: Path, latencies: number[], seconds: number, errorKinds: Record<string, number> = {}): Result {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => percentile(sorted, p);
  const errors = Object.values(errorKinds).reduce((sum, n) => sum + n, 0);
  return { scenario, path, rps: latencies.length / seconds, p50: at(50), p95: at(95), p99: at(99), errors, requests: latencies.length + errors, errorKinds };
}

/** Requests that succeeded (at least one, so a per-request figure is never a division by zero). */
export function served(result: Result): number {
  return Math.max(1, result.requests - result.errors);
}

/** CPU milliseconds one component used per served request; undefined when it was not measured. */
export function componentCpuPerRequest(result: Result, component: string): number | undefined {
  const seconds = result.cpu?.[component];
  return seconds === undefined ? undefined : (seconds * 1000) / served(result);
}

/** CPU milliseconds per served request, summed over every component measured. */
export function cpuPerRequest(result: Result): number {
  return (Object.values(result.cpu ?? {}).reduce((sum, seconds) => sum + seconds, 0) * 1000) / served(result);
}

/** The p-th percentile (nearest rank) of values sorted ascending; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function countInto(kinds: Record<string, number>, error: unknown): void {
  // Request ids differ in every message: without them, failures of one kind count together.
  const message = ((error as Error).message ?? String(error)).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '…');
  kinds[message] = (kinds[message] ?? 0) + 1;
}

/** The commonest kinds of failure, for a one-line summary. */
export function commonestErrors(result: Result, top = 3): string {
  return Object.entries(result.errorKinds ?? {})
    .sort(([, a], [, b]) => b - a)
    .slice(0, top)
    .map(([message, n]) => `${n}× ${message.slice(0, 160)}`)
    .join('; ');
}
