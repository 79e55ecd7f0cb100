import { Statements } from '@funshop/platform/db/statements';
import { runService } from '@funshop/platform/service';
import { ServiceRuntime } from '@funshop/platform/runtime';
import { MyPageServiceService } from '@funshop/proto/funshop/customer/v1/my_page';
import { MyPageProjector } from './app/my-page-projector';
import { MyPageQueries } from './app/my-page-queries';
import { myPageEventHandlers, rebuildMyPage } from './adapters/in/event-handlers';
import { MY_PAGE_REQUEST_RULES } from './adapters/in/request-rules';
import { myPageProjections } from './adapters/in/event-projections';
import { myPageGrpcService } from './adapters/in/my-page-grpc';
import { defineModels } from './adapters/out/models';
import { SequelizeMyPageRepository } from './adapters/out/sequelize-my-page-repository';
import { customerConfig } from './config';
import { migrations } from './migrations';

/**
 * The composition root: `node main.js` serves; `node main.js migrate` only migrates;
 * `node main.js rebuild` drops the my page and replays every stored event into it.
 */
runService('customer', async (logger) => {
  const runtime = await ServiceRuntime.open(customerConfig(), migrations, logger);
  defineModels(runtime.sequelize);
  const projections = myPageProjections(new MyPageProjector());
  if (process.argv[2] === 'rebuild') {
    await rebuildMyPage(runtime.sequelize, projections, logger);
    await runtime.sequelize.close();
    process.exit(0);
  }
  const statements = new Statements(runtime.sequelize);
  runtime.consume('customer', myPageEventHandlers(projections, statements));
  runtime.server.add(
    MyPageServiceService,
    myPageGrpcService(new MyPageQueries(new SequelizeMyPageRepository(statements, { metrics: runtime.metrics }))),
    MY_PAGE_REQUEST_RULES,
  );
  return runtime.serve();
});
