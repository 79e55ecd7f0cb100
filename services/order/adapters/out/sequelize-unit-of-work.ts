import type { Sequelize, Transaction } from 'sequelize';
import { inTransaction } from '@funshop/platform/db/database';
import type { Metrics } from '@funshop/platform/metrics';
import { Statements } from '@funshop/platform/db/statements';
import type { Outbox } from '@funshop/platform/messaging/outbox';
import type { Repositories, TransactionalRepositories, UnitOfWork } from '../../app/ports';
import { OutboxOrderEvents } from './outbox-order-events';
import { SequelizeOrderRepository, SequelizeProductRepository } from './sequelize-repositories';

export class SequelizeUnitOfWork implements UnitOfWork {
  readonly repositories: Repositories;
  private readonly statements: Statements;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly outbox: Outbox,
    metrics?: Metrics,
  ) {
    this.statements = new Statements(sequelize);
    this.repositories = {
      products: new SequelizeProductRepository(this.statements, { metrics }),
      orders: new SequelizeOrderRepository(this.statements, { metrics }),
    };
  }

  run<T>(work: (repositories: TransactionalRepositories) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return inTransaction(this.sequelize, signal, (transaction: Transaction) =>
      work({
        products: new SequelizeProductRepository(this.statements, { transaction }),
        orders: new SequelizeOrderRepository(this.statements, { transaction }),
        events: new OutboxOrderEvents(this.outbox, transaction),
      }),
    );
  }
}
