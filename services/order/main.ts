import { randomUUID } from 'node:crypto';
import { connectDatabase } from '@funshop/platform/db/database';
import { migrate } from '@funshop/platform/db/migrations';
import { GrpcServer } from '@funshop/platform/grpc/server';
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

  const unitOfWork = new SequelizeUnitOfWork(sequelize);
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
  await server.start(DESCRIPTOR_SET);
  return [() => server.stop(), () => sequelize.close()];
});
