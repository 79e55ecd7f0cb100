import { readFileSync } from 'node:fs';
import { Server, ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { FaultSwitch } from '../fault-switch';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { DescriptorIndex, REFLECTION_SERVICES, reflectionDefinitions, reflectionHandler } from './reflection';
import { unaryHandler, type AsyncService, type ObserveCall, type CallContext, type ContractRules, type ServiceDefinitionOf } from './handlers';
import { check, type RequestRules } from './request-rules';

/** The settings of grpcServerSettings() in settings.ts. */
export interface GrpcServerOptions {
  grpcHost: string;
  grpcPort: number;
  maxMessageBytes: number;
  /** How long to keep answering after health turns NOT_SERVING, so load balancers stop sending. */
  drainDelayMs: number;
  /** How long in-flight calls get to finish before the server is forced down. */
  shutdownGraceMs: number;
}

const HEALTH_SERVICE = 'grpc.health.v1.Health';
/**
 * The health a liveness probe asks: SERVING from the start for as long as the process answers
 * at all. Only a stuck process (its event loop blocked) fails it, by not answering in time;
 * lost dependencies and a graceful drain never do. Readiness is the overall health ('').
 */
export const LIVENESS_HEALTH = 'funshop.liveness';

/**
 * The gRPC server every Funshop service runs: its own services plus grpc.health.v1 health and
 * server reflection (so `grpcurl list` and `describe` work), message-size and keepalive limits,
 * and a graceful stop.
 */
export class GrpcServer {
  private readonly server: Server;
  private readonly health = new HealthImplementation({ '': 'NOT_SERVING' });
  private readonly serviceNames: string[] = [];
  private stopping: Promise<void> | undefined;

  private readonly observe?: ObserveCall;

  /** `metrics` gets `funshop_grpc_server_handling_seconds`, a histogram by method and status. */
  constructor(
    private readonly options: GrpcServerOptions,
    private readonly logger: Logger,
    private readonly extras: { faults?: FaultSwitch; metrics?: Metrics } = {},
  ) {
    this.observe = extras.metrics?.histogram(
      'funshop_grpc_server_handling_seconds',
      'Time from a unary call arriving to its answer, by method and gRPC status',
      ['method', 'code'],
    );
    this.server = new Server({
      'grpc.max_receive_message_length': options.maxMessageBytes,
      'grpc.max_send_message_length': options.maxMessageBytes,
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
      'grpc.keepalive_permit_without_calls': 1,
      // Long-lived connections pin clients to one replica; recycling them lets new replicas share load.
      'grpc.max_connection_age_ms': 5 * 60_000,
      'grpc.max_connection_age_grace_ms': 30_000,
    });
  }

  /**
   * Adds a service implemented as async functions, e.g. `add(OrderServiceService, handlers,
   * ORDER_REQUEST_RULES)`: each request is checked against its contract's rules first, so a
   * handler only ever sees bounded input.
   */
  add<D extends ServiceDefinitionOf<D>>(definition: D, implementation: AsyncService<D>, rules: ContractRules<D> = {}): this {
    const adapted: UntypedServiceImplementation = {};
    let serviceName = '';
    for (const key of Object.keys(definition) as (keyof D & string)[]) {
      const method = definition[key];
      serviceName = method.path.split('/')[1];
      const handler = (implementation[key] as (request: unknown, context: CallContext) => Promise<unknown>).bind(implementation);
      const rule = rules[key] as RequestRules<unknown> | undefined;
      const checked = rule
        ? async (request: unknown, context: CallContext) => {
            check(rule, request);
            return handler(request, context);
          }
        : handler;
      adapted[key] = unaryHandler(method.path, checked, this.logger, { faults: this.extras.faults, observe: this.observe });
    }
    this.server.addService(definition as never, adapted);
    this.serviceNames.push(serviceName);
    this.health.setStatus(serviceName, 'NOT_SERVING');
    return this;
  }

  /** Binds, adds health and reflection, and reports SERVING. Resolves to the bound port. */
  async start(descriptorSetPath: string): Promise<number> {
    this.health.addToServer(this.server);
    const index = new DescriptorIndex(readFileSync(descriptorSetPath));
    const listed = () => [...this.serviceNames, HEALTH_SERVICE, ...REFLECTION_SERVICES];
    for (const definition of reflectionDefinitions()) {
      this.server.addService(definition as never, { serverReflectionInfo: reflectionHandler(index, listed) });
    }

    const address = `${this.options.grpcHost}:${this.options.grpcPort}`;
    const port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(address, ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(new Error(`cannot listen on ${address}: ${error.message}`)) : resolve(bound),
      ),
    );
    this.health.setStatus(LIVENESS_HEALTH, 'SERVING');
    this.setServing(true);
    this.logger.info({ address: `${this.options.grpcHost}:${port}`, services: this.serviceNames }, 'gRPC server listening');
    return port;
  }

  /**
   * The health of something the service depends on but can run without for a while (the broker:
   * events wait in the outbox), under its own name; it does not take the service out of rotation.
   */
  setDependencyHealth(name: string, healthy: boolean): void {
    this.health.setStatus(name, healthy ? 'SERVING' : 'NOT_SERVING');
  }

  setServing(serving: boolean): void {
    // Once stopping, the instance stays NOT_SERVING whatever else recovers.
    if (serving && this.stopping) return;
    const status = serving ? 'SERVING' : 'NOT_SERVING';
    for (const name of ['', ...this.serviceNames]) this.health.setStatus(name, status);
  }

  /**
   * Graceful stop: report NOT_SERVING, keep serving for the drain delay while load balancers take
   * this instance out, then stop accepting calls and let in-flight ones finish, forcing the rest
   * down after the grace period.
   */
  stop(): Promise<void> {
    this.stopping ??= this.drainAndStop();
    return this.stopping;
  }

  private async drainAndStop(): Promise<void> {
    this.setServing(false);
    this.logger.info({ drainDelayMs: this.options.drainDelayMs }, 'health NOT_SERVING; draining');
    await sleep(this.options.drainDelayMs);
    const graceful = new Promise<boolean>((resolve) => this.server.tryShutdown(() => resolve(true)));
    const timedOut = sleep(this.options.shutdownGraceMs).then(() => false);
    if (await Promise.race([graceful, timedOut])) {
      this.logger.info('gRPC server stopped after in-flight calls finished');
    } else {
      this.logger.warn({ graceMs: this.options.shutdownGraceMs }, 'in-flight calls outlived the grace period; forcing shutdown');
      this.server.forceShutdown();
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
