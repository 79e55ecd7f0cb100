import { DataTypes, type QueryInterface } from 'sequelize';
import type { Migration } from '@funshop/platform/db/migrations';

export const createCart: Migration = {
  name: '0001-create-cart',
  async up(queryInterface: QueryInterface) {
    await queryInterface.createTable('cart_orders', {
      order_id: { type: DataTypes.CHAR(36), primaryKey: true },
      customer_id: { type: DataTypes.STRING(64), allowNull: false },
      status: { type: DataTypes.STRING(20), allowNull: false },
      placed: { type: DataTypes.BOOLEAN, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false },
      created_at: { type: DataTypes.DATE(6), allowNull: false },
      updated_at: { type: DataTypes.DATE(6), allowNull: false },
      cancel_reason: { type: DataTypes.STRING(200), allowNull: true },
      // Items are always read and written with their order: one JSON document, no join.
      items: { type: DataTypes.JSON, allowNull: false },
    });
    await queryInterface.addIndex('cart_orders', ['customer_id', 'created_at', 'order_id'], { name: 'cart_orders_by_customer_newest' });

    await queryInterface.createTable('cancellations', {
      cancellation_id: { type: DataTypes.CHAR(36), primaryKey: true },
      order_id: { type: DataTypes.CHAR(36), allowNull: false, unique: true },
      customer_id: { type: DataTypes.STRING(64), allowNull: false },
      reason: { type: DataTypes.STRING(200), allowNull: false },
      cancelled_at: { type: DataTypes.DATE(6), allowNull: false },
    });
    await queryInterface.addIndex('cancellations', ['customer_id', 'cancelled_at', 'cancellation_id'], { name: 'cancellations_by_customer_newest' });
  },
  async down(queryInterface: QueryInterface) {
    await queryInterface.dropTable('cancellations');
    await queryInterface.dropTable('cart_orders');
  },
};
