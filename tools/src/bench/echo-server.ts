import { GrpcServer } from '@funshop/platform/grpc/server';
import { createLogger } from '@funshop/platform/logger';
import { Metrics } from '@funshop/platform/metrics';
import { runService } from '@funshop/platform/service';
import { EchoServiceService } from '@funshop/proto/funshop/bench/v1/echo';

/** The ceiling: an echo on the very same GrpcServer the services use, without a database. */
runService('echo', async () => {
  const server = new GrpcServer(
    { grpcHost: '127.0.0.1', grpcPort: Number(process.env.ECHO_GRPC_PORT ?? 27099), maxMessageBytes: 1024 * 1024, drainDelayMs: 0, shutdownGraceMs: 2_000 },
    createLogger('echo', process.env.LOG_LEVEL ?? 'warn'),
    // Measured like a service's calls, so the ceiling pays what they pay.
    { metrics: new Metrics() },
  ).add(EchoServiceService, { echo: async (request) => ({ message: request.message }) });
  await server.start(require.resolve('@funshop/proto/descriptor-set'));
  return [() => server.stop()];
});
