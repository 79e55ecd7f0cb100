import type { QueryInterface } from 'sequelize';
import type { Migration } from '@funshop/platform/db/migrations';

/**
 * The my page's cart status now follows the order's events (the cart no longer announces it with
 * CartUpdated), so `cart_sequence` is no longer written. This is the expand step of an
 * expand/contract change: the column gets a default, so the new code can leave it out while a
 * replica of the old code, still running during a rolling update, keeps writing it. A later
 * migration drops it once no such replica can exist.
 */
export const cartStatusFromOrderEvents: Migration = {
  name: '0003-cart-status-from-order-events',
  async up(queryInterface: QueryInterface) {
    for (const table of ['my_page_orders', 'my_page_snapshot']) {
      await queryInterface.sequelize.query(`ALTER TABLE ${table} ALTER COLUMN cart_sequence SET DEFAULT 0`);
    }
  },
  async down(queryInterface: QueryInterface) {
    for (const table of ['my_page_orders', 'my_page_snapshot']) {
      await queryInterface.sequelize.query(`ALTER TABLE ${table} ALTER COLUMN cart_sequence DROP DEFAULT`);
    }
  },
};
