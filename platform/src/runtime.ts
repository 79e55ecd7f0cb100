import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Sequelize } from 'sequelize';
import { connectDatabase } from './db/database';
import { migrate, type Migration } from './db/migrations';
import { GrpcServer, type GrpcServerOptions } from './grpc/server';
import type { Logger } from './logger';
import { Broker } from './messaging/broker';
import { EventConsumer, type ConsumerOptions } from './messaging/consumer';
import { InboxRetention } from './messaging/inbox-retention';
import { tableSizeGauges } from './db/table-sizes';
import { poolGauges } from './db/pool-metrics';
import { ConfigError } from './config';
import { Outbox } from './messaging/outbox';
import { OutboxRelay } from './messaging/outbox-relay';
import { FaultSwitch } from './fault-switch';
import { Metrics } from './metrics';
import { repeatEvery } from './periodic';
import type { Closer } from './service';
import { untraced } from './tracing/spans';

/** What the runtime reads from a service's configuration (grpcServerSettings + messagingSettings + database). */
export interface RuntimeConfig extends GrpcServerOptions {
  databaseUrl: URL;
  databasePoolMax: number;
  databaseConnectTimeoutMs: number;
  migrateOnStart: boolean;
  rabbitmqUrl: string;
  outboxBatchSize: number;
  outboxLingerMs: number;
  outboxPollIntervalMs: number;
  outboxRetentionHours: number;
  inboxRetentionHours: number;
  retentionSweepMs: number;
  consumerPrefetch: number;
  consumerBatchSize: number;
  consumerRetryDelaysMs: number[];
  metricsHost: string;
  metricsPort: number;
  testFaultSwitch: boolean;
  dependencyCheckMs: number;
}

/** Blocks the thread: the test fault `/fault/stall`. */
function stall(): never {
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}

const DESCRIPTOR_SET = require.resolve('@funshop/proto/descriptor-set');
const BROKER_HEALTH = 'funshop.dependency.rabbitmq';
const DATABASE_HEALTH = 'funshop.dependency.database';

/**
 * The parts every Funshop service is made of, wired the same way everywhere: its database
 * (migrated), metrics, the broker connection, the outbox with its relay (in a service that
 * publishes events), its event consumers and the gRPC server. A service's main only adds its own
 * use cases and adapters in between.
 */
export class ServiceRuntime {
  readonly metrics = new Metrics({ processMetrics: true });
  readonly broker: Broker;
  private relay: OutboxRelay | undefined;
  private outbox: Outbox | undefined;
  readonly server: GrpcServer;
  private readonly consumers: EventConsumer[] = [];
  private readonly faults = new FaultSwitch();
  private readonly periodic: { name: string; everyMs: number; task: () => Promise<unknown> }[] = [];
  private readonly closers: Closer[] = [];

  private constructor(
    readonly sequelize: Sequelize,
    private readonly config: RuntimeConfig,
    readonly logger: Logger,
  ) {
    this.broker = new Broker(config.rabbitmqUrl, logger);
    tableSizeGauges(sequelize, this.metrics);
    poolGauges(sequelize, this.metrics);
    this.server = new GrpcServer(config, logger, { faults: config.testFaultSwitch ? this.faults : undefined, metrics: this.metrics });
  }

  /**
   * Connects the database and brings its schema up to date. With `migrate` as the command-line
   * argument the process stops there (a Kubernetes Job or init container runs it that way).
   */
  static async open(config: RuntimeConfig, migrations: Migration[], logger: Logger): Promise<ServiceRuntime> {
    if (config.inboxRetentionHours < config.outboxRetentionHours) {
      throw new ConfigError([
        `INBOX_RETENTION_HOURS (${config.inboxRetentionHours}) must be at least OUTBOX_RETENTION_HOURS (${config.outboxRetentionHours}): ` +
          'an event still in an outbox can be published again, and the inbox must remember it then',
      ]);
    }
    const sequelize = await connectDatabase(
      { url: config.databaseUrl, poolMax: config.databasePoolMax, connectTimeoutMs: config.databaseConnectTimeoutMs },
      logger,
    );
    const migrateOnly = process.argv[2] === 'migrate';
    if (config.migrateOnStart || migrateOnly) await untraced(() => migrate(sequelize, migrations, logger));
    if (migrateOnly) {
      await sequelize.close();
      process.exit(0);
    }
    return new ServiceRuntime(sequelize, config, logger);
  }

  /**
   * The outbox the service's use cases write their events to, and its relay, started with the
   * service. Only a service that publishes events opens one: the relay polls its table (the
   * fallback to being woken), and a service with nothing to publish should not pay for that.
   */
  openOutbox(): Outbox {
    if (this.outbox) return this.outbox;
    const relay = new OutboxRelay(
      this.sequelize,
      this.broker,
      {
        batchSize: this.config.outboxBatchSize,
        lingerMs: this.config.outboxLingerMs,
        pollIntervalMs: this.config.outboxPollIntervalMs,
        retentionMs: this.config.outboxRetentionHours * 3_600_000,
      },
      this.logger,
      this.metrics,
    );
    this.relay = relay;
    this.outbox = new Outbox(this.sequelize, () => relay.wake());
    return this.outbox;
  }

  /**
   * Adds an event consumer, started with the service; its retry and prefetch settings come from
   * the config. Its inbox is pruned in the background (InboxRetention). `retired` names the event
   * types it no longer handles (see ConsumerOptions).
   */
  consume(consumer: string, handlers: ConsumerOptions['handlers'], retired?: ConsumerOptions['retired']): void {
    const retention = new InboxRetention(
      this.sequelize,
      consumer,
      { retentionMs: this.config.inboxRetentionHours * 3_600_000, everyMs: this.config.retentionSweepMs },
      this.logger,
      this.metrics,
    );
    this.every(`prune the ${consumer} inbox`, this.config.retentionSweepMs, () => retention.prune());
    this.consumers.push(
      new EventConsumer(
        this.sequelize,
        this.broker,
        {
          consumer,
          handlers,
          retired,
          prefetch: this.config.consumerPrefetch,
          batchSize: this.config.consumerBatchSize,
          retryDelaysMs: this.config.consumerRetryDelaysMs,
        },
        this.logger,
        this.metrics,
      ),
    );
  }

  /** A background job (e.g. a saga timeout sweep), run when serve() starts and then every `everyMs` until shutdown; one run at a time. */
  every(name: string, everyMs: number, task: () => Promise<unknown>): void {
    this.periodic.push({ name, everyMs, task });
  }

  /** Something else to release at shutdown, after the connections (e.g. a gRPC client). */
  onClose(closer: Closer): void {
    this.closers.push(closer);
  }

  /** Starts everything and returns what stops it, in order: no new calls, no new events, then the connections. */
  async serve(): Promise<Closer[]> {
    this.server.setDependencyHealth(BROKER_HEALTH, false);
    const metricsServer = await this.metrics.serve(this.config.metricsHost, this.config.metricsPort, this.config.testFaultSwitch ? this.faultRoutes() : {});
    await this.server.start(DESCRIPTOR_SET);
    // The service serves without waiting for the broker: its events wait in the outbox, and the
    // relay and consumers set themselves up whenever the broker answers (even if it is still
    // recovering its queues after a restart).
    const messaging = (async () => {
      await this.broker.start(5_000);
      await this.relay?.start();
      for (const consumer of this.consumers) await consumer.start();
      // SERVING from here on means connected with the relay (if any) and every consumer set up.
      this.server.setDependencyHealth(BROKER_HEALTH, this.broker.connected);
      this.broker.onStatus((connected) => this.server.setDependencyHealth(BROKER_HEALTH, connected));
    })().catch((error: Error) => this.logger.error({ err: error.message }, 'messaging did not start; the broker connection keeps retrying'));
    const stopPeriodic = [
      ...this.periodic.map(({ name, everyMs, task }) => this.repeat(name, everyMs, task)),
      this.repeat('check the database', this.config.dependencyCheckMs, () => this.checkDatabase()),
    ];
    return [
      () => this.server.stop(),
      async () => {
        await Promise.all([...stopPeriodic.map((stop) => stop()), ...this.consumers.map((consumer) => consumer.stop())]);
      },
      async () => {
        // A start still waiting on a stuck broker must not hold the shutdown up.
        await Promise.race([messaging, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
        await this.relay?.stop();
      },
      () => this.broker.close(),
      () => metricsServer.close(),
      () => this.sequelize.close(),
      ...this.closers,
    ];
  }

  /**
   * Readiness follows the database: without it no call can succeed, so the instance reports
   * NOT_SERVING (Envoy's health checks and the readiness probe take it out of rotation) and
   * SERVING again once it answers. It is never a reason to restart: liveness (LIVENESS_HEALTH)
   * only asks whether the process answers at all. A broker outage leaves the instance ready: its
   * events wait in the outbox.
   */
  private async checkDatabase(): Promise<void> {
    const databaseUp = await this.sequelize.query('SELECT 1', { raw: true }).then(
      () => true,
      () => false,
    );
    this.server.setDependencyHealth(DATABASE_HEALTH, databaseUp);
    if (databaseUp !== this.databaseUp) {
      this.databaseUp = databaseUp;
      this.server.setServing(databaseUp);
      this.logger[databaseUp ? 'info' : 'error'](databaseUp ? 'database back: SERVING' : 'database unreachable: NOT_SERVING until it answers');
    }
  }

  private databaseUp = true;

  private faultRoutes() {
    return {
      '/fault': (request: IncomingMessage, response: ServerResponse) => {
        if (request.method !== 'POST' && request.method !== 'DELETE') {
          response.writeHead(405).end();
          return;
        }
        this.faults.set(request.method === 'POST');
        this.logger.warn({ fault: request.method === 'POST' }, 'test fault switch flipped');
        response.writeHead(204).end();
      },
      // A stuck process: the event loop blocks for good, so nothing answers, the liveness probe
      // included, and the kubelet restarts the container.
      '/fault/stall': (request: IncomingMessage, response: ServerResponse) => {
        if (request.method !== 'POST') {
          response.writeHead(405).end();
          return;
        }
        this.logger.warn('test fault: stalling the event loop for good');
        response.writeHead(202).end(() => setImmediate(stall));
      },
    };
  }

  /** Background jobs run untraced: a sweep that runs every second would be a trace every second. */
  private repeat(name: string, everyMs: number, task: () => Promise<unknown>): () => Promise<void> {
    return repeatEvery(
      everyMs,
      () => untraced(task),
      (error) => this.logger.warn({ err: error.message, job: name }, 'background job failed'),
    );
  }
}
