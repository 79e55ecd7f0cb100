import type { Sequelize, Transaction } from 'sequelize';
import { inTransaction } from '@funshop/platform/db/database';
import type { Repositories, UnitOfWork } from '../../app/ports';
import { SequelizeOrderRepository, SequelizeProductRepository } from './sequelize-repositories';

export class SequelizeUnitOfWork implements UnitOfWork {
  readonly repositories = repositoriesFor(undefined);

  constructor(private readonly sequelize: Sequelize) {}

  run<T>(work: (repositories: Repositories) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return inTransaction(this.sequelize, signal, (transaction) => work(repositoriesFor(transaction)));
  }
}

function repositoriesFor(transaction: Transaction | undefined): Repositories {
  return {
    products: new SequelizeProductRepository(transaction),
    orders: new SequelizeOrderRepository(transaction),
  };
}
