import { DataTypes, type QueryInterface } from 'sequelize';
import type { Migration } from '@funshop/platform/db/migrations';

export const createOrders: Migration = {
  name: '0002-create-orders',
  async up(queryInterface: QueryInterface) {
    await queryInterface.createTable('orders', {
      order_id: { type: DataTypes.CHAR(36), primaryKey: true },
      customer_id: { type: DataTypes.STRING(64), allowNull: false },
      status: { type: DataTypes.STRING(20), allowNull: false },
      total_krw: { type: DataTypes.BIGINT, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false },
      created_at: { type: DataTypes.DATE(6), allowNull: false },
      updated_at: { type: DataTypes.DATE(6), allowNull: false },
      expires_at: { type: DataTypes.DATE(6), allowNull: false },
      payment_id: { type: DataTypes.STRING(64), allowNull: true },
      payment_decline_reason: { type: DataTypes.STRING(200), allowNull: true },
      cancel_reason: { type: DataTypes.STRING(200), allowNull: true },
      idempotency_key: { type: DataTypes.STRING(128), allowNull: true },
      request_fingerprint: { type: DataTypes.CHAR(64), allowNull: true },
    });
    // ListOrders: one customer's orders, newest first, keyset-paginated.
    await queryInterface.addIndex('orders', ['customer_id', 'created_at', 'order_id'], { name: 'orders_by_customer_newest' });
    // A retried PlaceOrder finds the first call's order; a concurrent retry collides here.
    await queryInterface.addIndex('orders', ['customer_id', 'idempotency_key'], { name: 'orders_idempotency', unique: true });
    // Unpaid orders are found by their expiry time.
    await queryInterface.addIndex('orders', ['status', 'expires_at'], { name: 'orders_by_expiry' });

    await queryInterface.createTable('order_lines', {
      order_id: {
        type: DataTypes.CHAR(36),
        primaryKey: true,
        references: { model: 'orders', key: 'order_id' },
        onDelete: 'CASCADE',
      },
      line_no: { type: DataTypes.SMALLINT, primaryKey: true },
      product_id: { type: DataTypes.STRING(64), allowNull: false },
      product_name: { type: DataTypes.STRING(200), allowNull: false },
      unit_price_krw: { type: DataTypes.BIGINT, allowNull: false },
      quantity: { type: DataTypes.INTEGER, allowNull: false },
    });
  },
  async down(queryInterface: QueryInterface) {
    await queryInterface.dropTable('order_lines');
    await queryInterface.dropTable('orders');
  },
};
