import type { Transaction } from 'sequelize';
import type { Statements } from '@funshop/platform/db/statements';
import type { Outbox } from '@funshop/platform/messaging/outbox';
import type { CartRepositories } from '../../app/ports';
import { OutboxCartEvents } from './outbox-cart-events';
import { SequelizeCancellationRepository, SequelizeCartOrderRepository } from './sequelize-repositories';

/** The cart's repositories bound to one transaction: the consumer's, for a policy to run in. */
export function cartRepositories(statements: Statements, outbox: Outbox, transaction: Transaction): CartRepositories {
  return {
    cartOrders: new SequelizeCartOrderRepository(statements, { transaction }),
    cancellations: new SequelizeCancellationRepository(transaction),
    events: new OutboxCartEvents(outbox, transaction),
  };
}
