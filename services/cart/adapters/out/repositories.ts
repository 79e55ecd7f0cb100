import type { Transaction } from 'sequelize';
import type { Outbox } from '@funshop/platform/messaging/outbox';
import type { CartRepositories } from '../../app/ports';
import { OutboxCartEvents } from './outbox-cart-events';
import { SequelizeCancellationRepository, SequelizeCartOrderRepository } from './sequelize-repositories';

/** The cart's repositories bound to one transaction: the consumer's, for a policy to run in. */
export function cartRepositories(outbox: Outbox, transaction: Transaction): CartRepositories {
  return {
    cartOrders: new SequelizeCartOrderRepository(transaction),
    cancellations: new SequelizeCancellationRepository(transaction),
    events: new OutboxCartEvents(outbox, transaction),
  };
}
