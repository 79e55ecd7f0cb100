import './tracing';
import { Statements } from '@funshop/platform/db/statements';
import { runService } from '@funshop/platform/service';
import { randomIds, systemClock } from '@funshop/platform/ports';
import { ServiceRuntime } from '@funshop/platform/runtime';
import { CartServiceService } from '@funshop/proto/funshop/cart/v1/cart';
import { CartPolicies } from './app/cart-policies';
import { CartQueries } from './app/cart-queries';
import { cartGrpcService } from './adapters/in/cart-grpc';
import { CART_REQUEST_RULES } from './adapters/in/request-rules';
import { CART_RETIRED_EVENTS, cartEventHandlers } from './adapters/in/event-handlers';
import { defineModels } from './adapters/out/models';
import { SequelizeCartUnitOfWork } from './adapters/out/sequelize-unit-of-work';
import { SequelizeCancellationRepository, SequelizeCartOrderRepository } from './adapters/out/sequelize-repositories';
import { cartConfig } from './config';
import { migrations } from './migrations';

/** The composition root: `node main.js` serves; `node main.js migrate` only migrates. */
runService('cart', async (logger) => {
  const runtime = await ServiceRuntime.open(cartConfig(), migrations, logger);
  defineModels(runtime.sequelize);

  const statements = new Statements(runtime.sequelize);
  const policies = new CartPolicies(new SequelizeCartUnitOfWork(statements), systemClock, randomIds);
  runtime.consume('cart', cartEventHandlers(policies), CART_RETIRED_EVENTS);
  const cartOrders = new SequelizeCartOrderRepository(statements, { metrics: runtime.metrics });
  runtime.server.add(CartServiceService, cartGrpcService(new CartQueries(cartOrders, new SequelizeCancellationRepository())), CART_REQUEST_RULES);
  return runtime.serve();
});
