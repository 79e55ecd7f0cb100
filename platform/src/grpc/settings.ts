import { integer, string } from '../config';

/** The settings every gRPC server reads, with the service's own host and port variables. */
export function grpcServerSettings(prefix: string, defaultPort: number) {
  return {
    grpcHost: string(`${prefix}_GRPC_HOST`, '127.0.0.1'),
    grpcPort: integer(`${prefix}_GRPC_PORT`, defaultPort, { min: 0, max: 65535 }),
    maxMessageBytes: integer('GRPC_MAX_MESSAGE_BYTES', 1024 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
    drainDelayMs: integer('SHUTDOWN_DRAIN_DELAY_MS', 2_000, { min: 0, max: 120_000 }),
    shutdownGraceMs: integer('SHUTDOWN_GRACE_MS', 10_000, { min: 0, max: 300_000 }),
  };
}
