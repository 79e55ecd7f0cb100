import type { Migration } from '@funshop/platform/db/migrations';
import { messagingMigrations } from '@funshop/platform/messaging/outbox';
import { createCart } from './0001-create-cart';

/** Every migration of the cart database, oldest first. Append; never edit one that has shipped. */
export const migrations: Migration[] = [createCart, ...messagingMigrations];
