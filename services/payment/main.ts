import './tracing';
import { runService } from '@funshop/platform/service';
import { randomIds, systemClock } from '@funshop/platform/ports';
import { ServiceRuntime } from '@funshop/platform/runtime';
import { PaymentServiceService } from '@funshop/proto/funshop/payment/v1/payment';
import { AuthorizePayment } from './app/authorize-payment';
import { PaymentQueries } from './app/payment-queries';
import { RefundPolicy } from './app/refund-policy';
import { paymentEventHandlers } from './adapters/in/event-handlers';
import { PAYMENT_REQUEST_RULES } from './adapters/in/request-rules';
import { paymentGrpcService } from './adapters/in/payment-grpc';
import { defineModels } from './adapters/out/models';
import { SequelizeUnitOfWork } from './adapters/out/sequelize-unit-of-work';
import { paymentConfig } from './config';
import { migrations } from './migrations';

/** The composition root: `node main.js` serves; `node main.js migrate` only migrates. */
runService('payment', async (logger) => {
  const config = paymentConfig();
  const runtime = await ServiceRuntime.open(config, migrations, logger);
  defineModels(runtime.sequelize);

  const unitOfWork = new SequelizeUnitOfWork(runtime.sequelize, runtime.openOutbox(), config.receiptsDirectory, logger, runtime.metrics);
  runtime.consume('payment', paymentEventHandlers(new RefundPolicy(unitOfWork, systemClock)));
  runtime.server.add(
    PaymentServiceService,
    paymentGrpcService(new AuthorizePayment(unitOfWork, systemClock, randomIds), new PaymentQueries(unitOfWork.payments)),
    PAYMENT_REQUEST_RULES,
  );
  return runtime.serve();
});
