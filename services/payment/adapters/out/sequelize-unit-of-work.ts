import type { Sequelize } from 'sequelize';
import { inTransaction } from '@funshop/platform/db/database';
import { joinedTransaction, scopeOf, type TransactionScope } from '@funshop/platform/db/transaction-scope';
import { Statements } from '@funshop/platform/db/statements';
import type { Logger } from '@funshop/platform/logger';
import type { Metrics } from '@funshop/platform/metrics';
import type { Outbox } from '@funshop/platform/messaging/outbox';
import type { PaymentRepositories, UnitOfWork } from '../../app/ports';
import { FileReceipts } from './file-receipts';
import { OutboxPaymentEvents } from './outbox-payment-events';
import { SequelizeEndedOrders, SequelizePaymentRepository } from './sequelize-repositories';

export class SequelizeUnitOfWork implements UnitOfWork {
  readonly payments: SequelizePaymentRepository;
  private readonly statements: Statements;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly outbox: Outbox,
    private readonly receiptsDirectory: string,
    private readonly logger: Logger,
    metrics?: Metrics,
  ) {
    this.statements = new Statements(sequelize);
    this.payments = new SequelizePaymentRepository(this.statements, { metrics });
  }

  run<T>(work: (repositories: PaymentRepositories) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return inTransaction(this.sequelize, signal, (transaction) => work(this.join(scopeOf(transaction))));
  }

  join(scope: TransactionScope): PaymentRepositories {
    const transaction = joinedTransaction(scope);
    return {
      payments: new SequelizePaymentRepository(this.statements, { transaction }),
      endedOrders: new SequelizeEndedOrders(this.statements, transaction),
      events: new OutboxPaymentEvents(this.outbox, transaction),
      receipts: new FileReceipts(this.receiptsDirectory, transaction, this.logger),
    };
  }
}
