import { DataTypes, type QueryInterface } from 'sequelize';
import type { Migration } from '@funshop/platform/db/migrations';

export const createMyPage: Migration = {
  name: '0001-create-my-page',
  async up(queryInterface: QueryInterface) {
    // The read model: one row per order, shaped for the my page, rebuilt from stored_events at will.
    await queryInterface.createTable('my_page_orders', {
      order_id: { type: DataTypes.STRING(64), primaryKey: true },
      customer_id: { type: DataTypes.STRING(64), allowNull: false },
      items: { type: DataTypes.JSONB, allowNull: false },
      total_krw: { type: DataTypes.BIGINT, allowNull: false },
      order_status: { type: DataTypes.STRING(20), allowNull: false },
      payment_status: { type: DataTypes.STRING(20), allowNull: false },
      cart_status: { type: DataTypes.STRING(20), allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
      correlation_id: { type: DataTypes.STRING(128), allowNull: false },
      placed: { type: DataTypes.BOOLEAN, allowNull: false },
      order_sequence: { type: DataTypes.INTEGER, allowNull: false },
      cart_sequence: { type: DataTypes.INTEGER, allowNull: false },
    });
    await queryInterface.addIndex('my_page_orders', ['customer_id', 'created_at', 'order_id'], { name: 'my_page_by_customer_newest' });

    // Every event the projection consumed, as received: what a rebuild replays.
    await queryInterface.createTable('stored_events', {
      position: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
      event_id: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      event_type: { type: DataTypes.STRING(200), allowNull: false },
      aggregate_id: { type: DataTypes.STRING(64), allowNull: false },
      sequence: { type: DataTypes.INTEGER, allowNull: false },
      occurred_at: { type: DataTypes.DATE, allowNull: false },
      correlation_id: { type: DataTypes.STRING(128), allowNull: false },
      causation_id: { type: DataTypes.STRING(128), allowNull: false },
      content_type: { type: DataTypes.STRING(100), allowNull: false },
      payload: { type: DataTypes.BLOB, allowNull: false },
    });
  },
  async down(queryInterface: QueryInterface) {
    await queryInterface.dropTable('stored_events');
    await queryInterface.dropTable('my_page_orders');
  },
};
