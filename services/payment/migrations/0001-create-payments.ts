import { DataTypes, type QueryInterface } from 'sequelize';
import type { Migration } from '@funshop/platform/db/migrations';

export const createPayments: Migration = {
  name: '0001-create-payments',
  async up(queryInterface: QueryInterface) {
    await queryInterface.createTable('payments', {
      payment_id: { type: DataTypes.CHAR(36), primaryKey: true },
      order_id: { type: DataTypes.STRING(64), allowNull: false },
      customer_id: { type: DataTypes.STRING(64), allowNull: false },
      amount_krw: { type: DataTypes.BIGINT, allowNull: false },
      status: { type: DataTypes.STRING(20), allowNull: false },
      // Only the last four digits of a card are ever stored.
      card_last4: { type: DataTypes.CHAR(4), allowNull: false },
      decline_reason: { type: DataTypes.STRING(200), allowNull: true },
      cancel_reason: { type: DataTypes.STRING(200), allowNull: true },
      version: { type: DataTypes.INTEGER, allowNull: false },
      created_at: { type: DataTypes.DATE(6), allowNull: false },
      updated_at: { type: DataTypes.DATE(6), allowNull: false },
      // Set on the order's one charged payment (approved, later perhaps refunded): a second
      // approval for the same order collides here, so a retry can never charge twice.
      charged_order_id: { type: DataTypes.STRING(64), allowNull: true, unique: true },
    });
    await queryInterface.addIndex('payments', ['customer_id', 'created_at', 'payment_id'], { name: 'payments_by_customer_newest' });
    await queryInterface.addIndex('payments', ['order_id'], { name: 'payments_by_order' });

    await queryInterface.createTable('ended_orders', {
      order_id: { type: DataTypes.STRING(64), primaryKey: true },
      reason: { type: DataTypes.STRING(200), allowNull: false },
      ended_at: { type: DataTypes.DATE(6), allowNull: false },
    });
  },
  async down(queryInterface: QueryInterface) {
    await queryInterface.dropTable('ended_orders');
    await queryInterface.dropTable('payments');
  },
};
