import { joinedTransaction, type TransactionScope } from '@funshop/platform/db/transaction-scope';
import type { Statements } from '@funshop/platform/db/statements';
import type { MyPageUnitOfWork, MyPageWrites } from '../../app/ports';
import { SequelizeMyPageRepository } from './sequelize-my-page-repository';
import { SequelizeStoredEventLog } from './stored-events';

/** The ports one consumed event writes through, bound to the consumer's transaction. */
export class SequelizeMyPageUnitOfWork implements MyPageUnitOfWork {
  constructor(private readonly statements: Statements) {}

  join(scope: TransactionScope): MyPageWrites {
    const transaction = joinedTransaction(scope);
    return {
      myPages: new SequelizeMyPageRepository(this.statements, { transaction }),
      storedEvents: new SequelizeStoredEventLog(this.statements, transaction),
    };
  }
}
