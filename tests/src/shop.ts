import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mintToken } from '@funshop/tools/dev-keys';
import { TEST, REPO_ROOT } from '@funshop/tools/layout';

/** The test shop the runner started: Envoy's REST/gRPC port and each service's own gRPC port. */
export const EDGE = `http://127.0.0.1:${TEST.envoyPort}`;
export const EDGE_GRPC = `127.0.0.1:${TEST.envoyPort}`;
export const ORDER_GRPC = `127.0.0.1:${TEST.services.find((s) => s.name === 'order')!.grpcPort}`;
export const DESCRIPTOR_SET = `${REPO_ROOT}/proto/gen/funshop.binpb`;
export { REPO_ROOT };

export interface RestResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** One REST call through the test shop's Envoy; `body` may be an object (sent as JSON) or raw text. */
export function rest(method: string, path: string, options: RestOptions = {}): Promise<RestResponse> {
  return restAt(EDGE, method, path, options);
}

export interface RestOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

/** One REST call to the Envoy at `edge` (another shop's, e.g. the cluster's). */
export async function restAt(edge: string, method: string, path: string, options: RestOptions = {}): Promise<RestResponse> {
  const response = await fetch(`${edge}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

const tokens = new Map<string, string>();

/** The headers of a call made by this customer through the edge: a bearer token naming them. */
export function as(customerId: string): Record<string, string> {
  if (!tokens.has(customerId)) tokens.set(customerId, mintToken(customerId));
  return { authorization: `Bearer ${tokens.get(customerId)}` };
}

/**
 * The test-only fault switch of the service instance whose metrics port this is
 * (platform/src/fault-switch.ts): POST makes every call of it fail with UNAVAILABLE, DELETE heals it.
 */
export function faultSwitch(metricsPort: number, method: 'POST' | 'DELETE'): Promise<Response> {
  return fetch(`http://127.0.0.1:${metricsPort}/fault`, { method });
}

export function uniqueCustomer(): string {
  return `e2e-${Math.random().toString(36).slice(2, 10)}`;
}

/** Runs a command-line tool and gives back what it printed; never throws on a non-zero exit. Killed after `timeoutMs`. */
export function run(
  command: string,
  args: string[],
  cwd = REPO_ROOT,
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 120_000,
): Promise<{ code: number; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr, timedOut: Boolean(error?.killed) });
    });
  });
}

/**
 * Every series the test shop serves: each service's /metrics and Envoy's own stats, histograms with
 * their _bucket, _sum and _count series.
 */
export async function servedSeries(): Promise<Set<string>> {
  const served = new Set<string>();
  const endpoints = [
    ...TEST.services.map((service) => `http://127.0.0.1:${service.metricsPort}/metrics`),
    `http://127.0.0.1:${TEST.envoyAdminPort}/stats/prometheus`,
  ];
  for (const endpoint of endpoints) {
    const text = await (await fetch(endpoint)).text();
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      served.add(name);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) served.add(name + suffix);
    }
  }
  return served;
}

/** Polls `read` until `done` holds, for what arrives eventually (events, health); the last value explains a timeout. */
export async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Waits until `check` is true. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  await eventually(what, check, (ok) => ok, timeoutMs);
}

/** An Envoy of a test's own (`baseId` apart from the others), its last warnings kept to explain a failure. */
export class TestEnvoy {
  private readonly process: ChildProcess;
  private log = '';

  constructor(
    config: string,
    baseId: number,
    private readonly adminPort: number,
  ) {
    this.process = spawn('envoy', ['-c', config, '--disable-hot-restart', '--log-level', 'warn', '--base-id', String(baseId)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.process.stderr!.on('data', (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-4_000)));
  }

  /** What Envoy's active health check says of one host: `healthy` or its failure flags. */
  async healthFlags(cluster: string, port: number): Promise<string> {
    const clusters = await fetch(`http://127.0.0.1:${this.adminPort}/clusters`).then(
      (r) => r.text(),
      () => '',
    );
    return new RegExp(`^${cluster}::127\\.0\\.0\\.1:${port}::health_flags::(.*)$`, 'm').exec(clusters)?.[1] ?? 'not in /clusters (yet)';
  }

  /** Waits until the host is healthy in Envoy; a timeout tells what Envoy last saw and logged. */
  async untilHealthy(cluster: string, port: number, timeoutMs = 20_000): Promise<void> {
    try {
      await eventually(
        `${cluster} ${port} healthy in Envoy`,
        () => this.healthFlags(cluster, port),
        (flags) => flags === 'healthy',
        timeoutMs,
      );
    } catch (error) {
      const state = this.process.exitCode === null ? 'running' : `exited ${this.process.exitCode}`;
      throw new Error(`${(error as Error).message}; Envoy ${state}\n${this.log}`, { cause: error });
    }
  }

  stop(): void {
    this.process.kill('SIGTERM');
  }
}
