import type { Migration } from '@funshop/platform/db/migrations';
import { messagingMigrations } from '@funshop/platform/messaging/outbox';
import { createMyPage } from './0001-create-my-page';
import { myPageSnapshot } from './0002-my-page-snapshot';
import { cartStatusFromOrderEvents } from './0003-cart-status-from-order-events';

/** Every migration of the customer database (PostgreSQL), oldest first. Append; never edit one that has shipped. */
export const migrations: Migration[] = [createMyPage, ...messagingMigrations, myPageSnapshot, cartStatusFromOrderEvents];
