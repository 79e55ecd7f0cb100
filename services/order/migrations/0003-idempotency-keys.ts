import { DataTypes, type QueryInterface } from 'sequelize';
import type { Migration } from '@funshop/platform/db/migrations';

/**
 * Idempotency keys move from the orders to a table of their own, so they can be forgotten after
 * their time to live (ForgetIdempotencyKeys) while the orders stay.
 */
export const idempotencyKeys: Migration = {
  name: '0003-idempotency-keys',
  async up(queryInterface: QueryInterface) {
    await queryInterface.createTable('idempotency_keys', {
      // A key is the customer's: two customers may pick the same one.
      customer_id: { type: DataTypes.STRING(64), primaryKey: true },
      idempotency_key: { type: DataTypes.STRING(128), primaryKey: true },
      order_id: { type: DataTypes.CHAR(36), allowNull: false },
      // What was asked for with the key: a retry must ask for the same.
      request_fingerprint: { type: DataTypes.CHAR(64), allowNull: false },
      created_at: { type: DataTypes.DATE(6), allowNull: false },
    });
    await queryInterface.addIndex('idempotency_keys', ['created_at'], { name: 'idempotency_keys_by_age' });
    await queryInterface.sequelize.query(
      `INSERT INTO idempotency_keys (customer_id, idempotency_key, order_id, request_fingerprint, created_at)
       SELECT customer_id, idempotency_key, order_id, request_fingerprint, created_at FROM orders WHERE idempotency_key IS NOT NULL`,
    );
    await queryInterface.removeIndex('orders', 'orders_idempotency');
    await queryInterface.removeColumn('orders', 'idempotency_key');
    await queryInterface.removeColumn('orders', 'request_fingerprint');
  },
  async down(queryInterface: QueryInterface) {
    await queryInterface.addColumn('orders', 'idempotency_key', { type: DataTypes.STRING(128), allowNull: true });
    await queryInterface.addColumn('orders', 'request_fingerprint', { type: DataTypes.CHAR(64), allowNull: true });
    await queryInterface.sequelize.query(
      `UPDATE orders o JOIN idempotency_keys k ON k.order_id = o.order_id SET o.idempotency_key = k.idempotency_key, o.request_fingerprint = k.request_fingerprint`,
    );
    await queryInterface.addIndex('orders', ['customer_id', 'idempotency_key'], { name: 'orders_idempotency', unique: true });
    await queryInterface.dropTable('idempotency_keys');
  },
};
