// main.ts imports this first: the tracing instrumentations patch grpc-js, amqplib and the database
// drivers as they are loaded, so they must be in place before anything requires those.
import { startTracing } from '@funshop/platform/tracing/sdk';

startTracing('customer');
