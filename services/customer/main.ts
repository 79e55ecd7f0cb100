import './tracing';
import { Statements } from '@funshop/platform/db/statements';
import { runService } from '@funshop/platform/service';
import { ServiceRuntime } from '@funshop/platform/runtime';
import { MyPageServiceService } from '@funshop/proto/funshop/customer/v1/my_page';
import { MyPageProjector } from './app/my-page-projector';
import { MyPageQueries } from './app/my-page-queries';
import { myPageEventHandlers } from './adapters/in/event-handlers';
import { MY_PAGE_REQUEST_RULES } from './adapters/in/request-rules';
import { MY_PAGE_RETIRED_EVENTS, myPageProjections } from './adapters/in/event-projections';
import { myPageGrpcService } from './adapters/in/my-page-grpc';
import { defineModels } from './adapters/out/models';
import { SequelizeMyPageRepository } from './adapters/out/sequelize-my-page-repository';
import { compactStoredEvents, rebuildMyPage } from './adapters/out/stored-events';
import { SequelizeMyPageUnitOfWork } from './adapters/out/sequelize-unit-of-work';
import { RecordEvent } from './app/record-event';
import { customerConfig } from './config';
import { migrations } from './migrations';

/**
 * The composition root: `node main.js` serves; `node main.js migrate` only migrates;
 * `node main.js rebuild` drops the my page and builds it again from its snapshot and stored events.
 */
runService('customer', async (logger) => {
  const config = customerConfig();
  const runtime = await ServiceRuntime.open(config, migrations, logger);
  defineModels(runtime.sequelize);
  const projections = myPageProjections(new MyPageProjector());
  if (process.argv[2] === 'rebuild') {
    await rebuildMyPage(runtime.sequelize, projections, logger);
    await runtime.sequelize.close();
    process.exit(0);
  }
  const statements = new Statements(runtime.sequelize);
  runtime.consume('customer', myPageEventHandlers(projections, new RecordEvent(new SequelizeMyPageUnitOfWork(statements))), MY_PAGE_RETIRED_EVENTS);
  runtime.every('compact stored events', config.retentionSweepMs, async () => {
    const before = new Date(Date.now() - config.storedEventRetentionHours * 3_600_000);
    for (let batches = 0; batches < 20 && (await compactStoredEvents(runtime.sequelize, projections, before)) > 0; batches++);
  });
  runtime.server.add(
    MyPageServiceService,
    myPageGrpcService(new MyPageQueries(new SequelizeMyPageRepository(statements, { metrics: runtime.metrics }))),
    MY_PAGE_REQUEST_RULES,
  );
  return runtime.serve();
});
