import './tracing';
import { runService } from '@funshop/platform/service';
import { randomIds, systemClock } from '@funshop/platform/ports';
import { ServiceRuntime } from '@funshop/platform/runtime';
import { CatalogServiceService } from '@funshop/proto/funshop/order/v1/catalog';
import { OrderServiceService } from '@funshop/proto/funshop/order/v1/order';
import { CancelOrder } from './app/cancel-order';
import { Catalog } from './app/catalog';
import { GetOrder } from './app/get-order';
import { ListOrders } from './app/list-orders';
import { ExpireOrders } from './app/expire-orders';
import { ForgetIdempotencyKeys } from './app/forget-idempotency-keys';
import { PayOrder } from './app/pay-order';
import { PlaceOrder } from './app/place-order';
import { catalogGrpcService } from './adapters/in/catalog-grpc';
import { orderGrpcService } from './adapters/in/order-grpc';
import { CATALOG_REQUEST_RULES, ORDER_REQUEST_RULES } from './adapters/in/request-rules';
import { GrpcPaymentGateway } from './adapters/out/grpc-payment-gateway';
import { defineModels } from './adapters/out/models';
import { SequelizeUnitOfWork } from './adapters/out/sequelize-unit-of-work';
import { orderConfig } from './config';
import { migrations } from './migrations';

/** The composition root: `node main.js` serves; `node main.js migrate` only migrates. */
runService('order', async (logger) => {
  const config = orderConfig();
  const runtime = await ServiceRuntime.open(config, migrations, logger);
  defineModels(runtime.sequelize);

  const unitOfWork = new SequelizeUnitOfWork(runtime.sequelize, runtime.openOutbox(), runtime.metrics);
  const payments = new GrpcPaymentGateway(
    {
      address: config.paymentAddress,
      timeoutMs: config.paymentTimeoutMs,
      breakerThreshold: config.paymentBreakerThreshold,
      halfOpenAfterMs: config.paymentBreakerHalfOpenMs,
    },
    logger,
    runtime.metrics,
    (healthy) => runtime.server.setDependencyHealth('funshop.dependency.payment', healthy),
  );
  runtime.server.add(CatalogServiceService, catalogGrpcService(new Catalog(unitOfWork)), CATALOG_REQUEST_RULES).add(
    OrderServiceService,
    orderGrpcService({
      placeOrder: new PlaceOrder(unitOfWork, systemClock, randomIds, config.paymentWindowSeconds * 1000),
      getOrder: new GetOrder(unitOfWork),
      listOrders: new ListOrders(unitOfWork),
      cancelOrder: new CancelOrder(unitOfWork, systemClock),
      payOrder: new PayOrder(unitOfWork, payments, systemClock),
    }),
    ORDER_REQUEST_RULES,
  );
  runtime.server.setDependencyHealth('funshop.dependency.payment', true);
  const expireOrders = new ExpireOrders(unitOfWork, systemClock);
  runtime.every('expire unpaid orders', config.expirySweepMs, () => expireOrders.runOnce());
  const forgetIdempotencyKeys = new ForgetIdempotencyKeys(unitOfWork, systemClock, config.idempotencyKeyTtlHours * 3_600_000);
  runtime.every('forget expired idempotency keys', config.retentionSweepMs, () => forgetIdempotencyKeys.runOnce());
  runtime.onClose(async () => payments.close());
  return runtime.serve();
});
