import type { Migration } from '@funshop/platform/db/migrations';
import { messagingMigrations } from '@funshop/platform/messaging/outbox';
import { createPayments } from './0001-create-payments';

/** Every migration of the payment database, oldest first. Append; never edit one that has shipped. */
export const migrations: Migration[] = [createPayments, ...messagingMigrations];
