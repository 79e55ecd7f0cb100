import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, writeFileSync, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { Metadata, credentials } from '@grpc/grpc-js';
import { HealthCheckResponse_ServingStatus, HealthClient } from '@funshop/proto/grpc/health/v1/health';
import { ensureDevKeys } from './dev-keys';
import { EnvoyConfig } from './envoy-config';
import { DEVELOPMENT, REPO_ROOT, brokerUrl, databaseUrl, instances, tracingEnv, type ServiceLayout, type ShopLayout } from './layout';

interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  isReady: () => Promise<boolean>;
}

interface Running {
  spec: ProcessSpec;
  child: ChildProcess;
  startedAt: number;
  restartDelayMs: number;
  exited: Promise<void>;
  /** Why the process could not be started at all (its command not found, say). */
  spawnError?: Error;
}

export interface SupervisorOptions {
  /** Copy every log line to this process's stdout, prefixed with its source. */
  echoLogs: boolean;
  /** Extra environment for the services (e.g. a shorter drain delay in tests). */
  serviceEnv?: NodeJS.ProcessEnv;
  /** Extra Node.js flags for the services (e.g. the bench's --cpu-prof, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
  /** A change to the rendered Envoy config (the circuit-breaker experiment's tight thresholds). */
  adjustEnvoyConfig?: (config: string) => string;
}

/** How every Envoy of ours is run (the shops', the bench's bare one): only its config differs. */
export function envoyArgs(configFile: string): string[] {
  return ['-c', configFile, '--disable-hot-restart', '--log-level', 'warn'];
}

/**
 * Runs a whole shop locally: every service, the storefront's server and Envoy as child processes,
 * each in its own process group (so a terminal's Ctrl-C reaches only the supervisor, which then stops them in order),
 * logs to .run/<layout>/<name>.log, restart with backoff after a crash, and a clean stop.
 */
export class Supervisor {
  private readonly running = new Map<string, Running>();
  private readonly logs = new Map<string, WriteStream>();
  private stopping = false;

  constructor(
    readonly layout: ShopLayout,
    private readonly options: SupervisorOptions,
  ) {}

  async start(timeoutMs = 60_000): Promise<void> {
    mkdirSync(this.layout.runDir, { recursive: true });
    const specs = [
      ...this.layout.services.flatMap((service) => instances(service).map((instance) => this.serviceSpec(service, instance))),
      this.storefrontSpec(),
      this.envoySpec(),
    ];
    for (const spec of specs) this.launch(spec);
    const deadline = Date.now() + timeoutMs;
    for (const spec of specs) {
      while (!(await spec.isReady().catch(() => false))) {
        const { spawnError } = this.running.get(spec.name)!;
        if (spawnError) throw new Error(`${spec.name} could not be started: ${spawnError.message}`);
        if (Date.now() > deadline) {
          throw new Error(`${spec.name} did not become ready within ${timeoutMs / 1000}s; see ${this.logPath(spec.name)}`);
        }
        await sleep(250);
      }
    }
  }

  /** SIGTERM everything (services drain first), SIGKILL what is still up after the grace period. */
  async stop(graceMs = 20_000): Promise<void> {
    this.stopping = true;
    const all = [...this.running.values()];
    for (const { child } of all) signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => all.forEach(({ child }) => signalGroup(child, 'SIGKILL')), graceMs);
    await Promise.all(all.map((process) => process.exited));
    clearTimeout(timer);
    for (const log of this.logs.values()) log.end();
  }

  logPath(name: string): string {
    return resolve(this.layout.runDir, `${name}.log`);
  }

  private serviceSpec(service: ServiceLayout, instance: { name: string; grpcPort: number; metricsPort: number }): ProcessSpec {
    return {
      name: instance.name,
      command: process.execPath,
      args: [...(this.options.nodeArgs ?? []), resolve(REPO_ROOT, `services/${service.name}/dist/main.js`)],
      env: {
        ...process.env,
        [`${service.envPrefix}_GRPC_PORT`]: String(instance.grpcPort),
        [`${service.envPrefix}_METRICS_PORT`]: String(instance.metricsPort),
        // Payment receipts of this shop, kept apart from any other shop's.
        PAYMENT_RECEIPTS_DIR: resolve(this.layout.runDir, 'receipts'),
        // Where the other services of this shop answer, e.g. PAYMENT_ADDRESS for the order
        // service: through Envoy's internal listener, which balances over their instances.
        ...Object.fromEntries(this.layout.services.map((other) => [`${other.envPrefix}_ADDRESS`, `127.0.0.1:${this.layout.envoyInternalPort}`])),
        [`${service.envPrefix}_DATABASE_URL`]: process.env[`${service.envPrefix}_DATABASE_URL`] ?? databaseUrl(service),
        RABBITMQ_URL: brokerUrl(this.layout),
        ...tracingEnv(this.layout, instance.name),
        ...this.options.serviceEnv,
      },
      // Serving, and connected to the broker with its relay and consumers set up, so no event of
      // the first test can be published before the queue that should receive it exists.
      isReady: async () =>
        (await grpcServing(`127.0.0.1:${instance.grpcPort}`)) && grpcServing(`127.0.0.1:${instance.grpcPort}`, 'funshop.dependency.rabbitmq'),
    };
  }

  /** The storefront's file server, with the development sign-in (a local shop only; never in the cluster). */
  private storefrontSpec(): ProcessSpec {
    return {
      name: 'storefront',
      command: process.execPath,
      args: [resolve(REPO_ROOT, 'storefront/dist/server/main.js')],
      env: { ...process.env, STOREFRONT_PORT: String(this.layout.storefrontPort), STOREFRONT_DEV_SIGN_IN: 'true' },
      isReady: async () => (await fetch(`http://127.0.0.1:${this.layout.storefrontPort}/healthz`)).status === 200,
    };
  }

  private envoySpec(): ProcessSpec {
    ensureDevKeys();
    const config = resolve(this.layout.runDir, 'envoy.yaml');
    const rendered = renderEnvoyConfig(this.layout);
    writeFileSync(config, this.options.adjustEnvoyConfig ? this.options.adjustEnvoyConfig(rendered) : rendered);
    const admin = `http://127.0.0.1:${this.layout.envoyAdminPort}`;
    return {
      name: 'envoy',
      command: 'envoy',
      args: envoyArgs(config),
      env: { ...process.env, OTEL_RESOURCE_ATTRIBUTES: tracingEnv(this.layout, 'envoy').OTEL_RESOURCE_ATTRIBUTES },
      isReady: async () => {
        if ((await fetch(`${admin}/ready`)).status !== 200) return false;
        const clusters = await (await fetch(`${admin}/clusters`)).text();
        // Ready once every upstream host has passed its first active health check.
        return !/health_flags::(?!healthy)/.test(clusters) && /health_flags::healthy/.test(clusters);
      },
    };
  }

  private launch(spec: ProcessSpec, restartDelayMs = 1_000): void {
    const child = spawn(spec.command, spec.args, { cwd: REPO_ROOT, env: spec.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = this.logFor(spec.name);
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.on('data', (chunk: Buffer) => {
        log.write(chunk);
        if (this.options.echoLogs) process.stdout.write(prefixLines(spec.name, chunk));
      });
    }
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const running: Running = { spec, child, startedAt: Date.now(), restartDelayMs, exited };
    this.running.set(spec.name, running);
    // A command that cannot be spawned emits 'error' and never 'exit': unhandled, the error would
    // end the supervisor and leave the processes it already started running without it.
    child.once('error', (error) => {
      running.spawnError = error;
      running.exited = Promise.resolve();
      log.write(`[supervisor] ${spec.name} could not be started: ${error.message}\n`);
    });
    child.once('exit', (code, signal) => {
      if (this.stopping || this.running.get(spec.name) !== running) return;
      // A process that ran a while before crashing starts over with a short delay.
      const delay = Date.now() - running.startedAt > 60_000 ? 1_000 : running.restartDelayMs;
      process.stdout.write(`[supervisor] ${spec.name} exited (${signal ?? code}); restarting in ${delay / 1000}s\n`);
      setTimeout(() => !this.stopping && this.launch(spec, Math.min(delay * 2, 30_000)), delay).unref();
    });
  }

  /**
   * The process's log file. Each start of the shop begins a fresh one and keeps the last run's as
   * `<name>.previous.log`, so logs never grow across runs (a bench run writes hundreds of MB);
   * restarts within a run append to the same file.
   */
  private logFor(name: string): WriteStream {
    let log = this.logs.get(name);
    if (!log) {
      const path = this.logPath(name);
      if (existsSync(path)) renameSync(path, path.replace(/\.log$/, '.previous.log'));
      this.logs.set(name, (log = createWriteStream(path, { flags: 'a' })));
    }
    return log;
  }
}

/**
 * envoy/envoy.yaml with the development ports swapped for this layout's, one endpoint per instance
 * of a replicated service, and the CORS origins from FUNSHOP_CORS_ORIGINS (comma-separated) when
 * it is set.
 */
export function renderEnvoyConfig(layout: ShopLayout, corsOrigins = process.env.FUNSHOP_CORS_ORIGINS): string {
  const ports = new Map<number, number>([
    [DEVELOPMENT.envoyPort, layout.envoyPort],
    [DEVELOPMENT.envoyInternalPort, layout.envoyInternalPort],
    [DEVELOPMENT.envoyAdminPort, layout.envoyAdminPort],
    [DEVELOPMENT.storefrontPort, layout.storefrontPort],
    ...DEVELOPMENT.services.map((dev): [number, number] => [dev.grpcPort, layout.services.find((s) => s.name === dev.name)!.grpcPort]),
  ]);
  const config = EnvoyConfig.load().mapSocketAddresses(({ address, port }) => ({ address, port: ports.get(port) ?? port }));
  for (const service of layout.services.filter((s) => (s.replicas ?? 1) > 1)) {
    config.setEndpoints(
      service.name,
      instances(service).map((instance) => ({ address: '127.0.0.1', port: instance.grpcPort })),
    );
  }
  if (corsOrigins) config.setCorsOrigins(corsOrigins.split(',').map((origin) => origin.trim()));
  return config.toString();
}

export function grpcServing(address: string, service = ''): Promise<boolean> {
  const client = new HealthClient(address, credentials.createInsecure());
  return new Promise<boolean>((done) => {
    client.check({ service }, new Metadata(), { deadline: Date.now() + 1_000 }, (error, response) => {
      client.close();
      done(!error && response.status === HealthCheckResponse_ServingStatus.SERVING);
    });
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function prefixLines(name: string, chunk: Buffer): string {
  const label = `[${name}]`.padEnd(9);
  return chunk.toString('utf8').replace(/^(?=.)/gm, `${label} `);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The seed's Istio DestinationRule (http1MaxPendingRequests: 1, maxRequestsPerConnection: 1) in
 * Envoy's terms, applied to every cluster: for the circuit-breaker experiment and its test.
 */
export function seedThresholds(configText: string): string {
  const config = EnvoyConfig.parse(configText).setEverywhere('max_pending_requests', 1);
  config.sharedHttpProtocolOptions().set('common_http_protocol_options', { max_requests_per_connection: 1 });
  return config.toString();
}
