import type { Sequelize, Transaction } from 'sequelize';
import { inTransaction } from '@funshop/platform/db/database';
import type { Outbox } from '@funshop/platform/messaging/outbox';
import type { Repositories, TransactionalRepositories, UnitOfWork } from '../../app/ports';
import { OutboxOrderEvents } from './outbox-order-events';
import { SequelizeOrderRepository, SequelizeProductRepository } from './sequelize-repositories';

export class SequelizeUnitOfWork implements UnitOfWork {
  readonly repositories: Repositories = {
    products: new SequelizeProductRepository(),
    orders: new SequelizeOrderRepository(),
  };

  constructor(
    private readonly sequelize: Sequelize,
    private readonly outbox: Outbox,
  ) {}

  run<T>(work: (repositories: TransactionalRepositories) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return inTransaction(this.sequelize, signal, (transaction: Transaction) =>
      work({
        products: new SequelizeProductRepository(transaction),
        orders: new SequelizeOrderRepository(transaction),
        events: new OutboxOrderEvents(this.outbox, transaction),
      }),
    );
  }
}
