import { randomUUID } from 'node:crypto';
import { connectDatabase } from '@funshop/platform/db/database';
import { migrate } from '@funshop/platform/db/migrations';
import { GrpcServer } from '@funshop/platform/grpc/server';
import { Broker } from '@funshop/platform/messaging/broker';
import { Outbox } from '@funshop/platform/messaging/outbox';
import { OutboxRelay } from '@funshop/platform/messaging/outbox-relay';
import { Metrics } from '@funshop/platform/metrics';
import { runService } from '@funshop/platform/service';
import { CatalogServiceService } from '@funshop/proto/funshop/order/v1/catalog';
import { OrderServiceService } from '@funshop/proto/funshop/order/v1/order';
import { CancelOrder } from './app/cancel-order';
import { Catalog } from './app/catalog';
import { GetOrder } from './app/get-order';
import { ListOrders } from './app/list-orders';
import { PlaceOrder } from './app/place-order';
import { catalogGrpcService } from './adapters/in/catalog-grpc';
import { orderGrpcService } from './adapters/in/order-grpc';
import { defineModels } from './adapters/out/models';
import { SequelizeUnitOfWork } from './adapters/out/sequelize-unit-of-work';
import { orderConfig } from './config';
import { migrations } from './migrations';

const DESCRIPTOR_SET = require.resolve('@funshop/proto/descriptor-set');

/** `node main.js` serves; `node main.js migrate` only brings the schema up to date (a Kubernetes Job). */
runService('order', async (logger) => {
  const config = orderConfig();
  const sequelize = await connectDatabase(
    { url: config.databaseUrl, poolMax: config.databasePoolMax, connectTimeoutMs: config.databaseConnectTimeoutMs },
    logger,
  );
  if (config.migrateOnStart || process.argv[2] === 'migrate') await migrate(sequelize, migrations, logger);
  if (process.argv[2] === 'migrate') {
    await sequelize.close();
    process.exit(0);
  }
  defineModels(sequelize);

  const metrics = new Metrics();
  const broker = new Broker(config.rabbitmqUrl, logger);
  const relay = new OutboxRelay(
    sequelize,
    broker,
    { batchSize: config.outboxBatchSize, pollIntervalMs: config.outboxPollIntervalMs, retentionMs: config.outboxRetentionHours * 3_600_000 },
    logger,
    metrics,
  );
  const unitOfWork = new SequelizeUnitOfWork(sequelize, new Outbox(sequelize, () => relay.wake()));
  const clock = { now: () => new Date() };
  const ids = { newId: () => randomUUID() };
  const server = new GrpcServer(config, logger)
    .add(CatalogServiceService, catalogGrpcService(new Catalog(unitOfWork)))
    .add(
      OrderServiceService,
      orderGrpcService({
        placeOrder: new PlaceOrder(unitOfWork, clock, ids, config.paymentWindowSeconds * 1000),
        getOrder: new GetOrder(unitOfWork),
        listOrders: new ListOrders(unitOfWork),
        cancelOrder: new CancelOrder(unitOfWork, clock),
      }),
    );
  broker.onStatus((connected) => server.setDependencyHealth('funshop.dependency.rabbitmq', connected));
  server.setDependencyHealth('funshop.dependency.rabbitmq', false);
  // Orders are taken even while the broker is down: their events wait in the outbox.
  await broker.start(5_000);
  await relay.start();
  const metricsServer = await metrics.serve(config.metricsHost, config.metricsPort);
  await server.start(DESCRIPTOR_SET);
  return [() => server.stop(), () => relay.stop(), () => broker.close(), () => metricsServer.close(), () => sequelize.close()];
});
