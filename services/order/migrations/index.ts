import type { Migration } from '@funshop/platform/db/migrations';
import { messagingMigrations } from '@funshop/platform/messaging/outbox';
import { createProducts } from './0001-create-products';
import { createOrders } from './0002-create-orders';
import { idempotencyKeys } from './0003-idempotency-keys';

/** Every migration of the order database, oldest first. Append; never edit one that has shipped. */
export const migrations: Migration[] = [createProducts, createOrders, ...messagingMigrations, idempotencyKeys];
