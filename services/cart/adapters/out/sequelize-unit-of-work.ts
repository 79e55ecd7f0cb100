import { joinedTransaction, type TransactionScope } from '@funshop/platform/db/transaction-scope';
import type { Statements } from '@funshop/platform/db/statements';
import type { CartRepositories, CartUnitOfWork } from '../../app/ports';
import { SequelizeCancellationRepository, SequelizeCartOrderRepository } from './sequelize-repositories';

/** The cart's repositories bound to the transaction an event consumer opened, for a policy to run in. */
export class SequelizeCartUnitOfWork implements CartUnitOfWork {
  constructor(private readonly statements: Statements) {}

  join(scope: TransactionScope): CartRepositories {
    const transaction = joinedTransaction(scope);
    return {
      cartOrders: new SequelizeCartOrderRepository(this.statements, { transaction }),
      cancellations: new SequelizeCancellationRepository(transaction),
    };
  }
}
