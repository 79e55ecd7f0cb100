import { DataTypes, Op, type QueryInterface } from 'sequelize';
import type { Migration } from '@funshop/platform/db/migrations';

/** The catalog, seeded with the products the README's examples use. */
const SEED = [
  { product_id: 'keyboard-mech', name: 'Mechanical keyboard', price_krw: 129_000, stock: 100 },
  { product_id: 'mouse-wireless', name: 'Wireless mouse', price_krw: 39_000, stock: 200 },
  { product_id: 'monitor-27', name: '27-inch monitor', price_krw: 329_000, stock: 40 },
  { product_id: 'headset-anc', name: 'Noise-cancelling headset', price_krw: 219_000, stock: 60 },
  { product_id: 'webcam-fhd', name: 'Full HD webcam', price_krw: 59_000, stock: 80 },
  { product_id: 'usb-c-hub', name: 'USB-C hub', price_krw: 45_000, stock: 150 },
  { product_id: 'desk-lamp', name: 'LED desk lamp', price_krw: 32_000, stock: 120 },
  { product_id: 'laptop-stand', name: 'Aluminium laptop stand', price_krw: 49_000, stock: 90 },
];

export const createProducts: Migration = {
  name: '0001-create-products',
  async up(queryInterface: QueryInterface) {
    await queryInterface.createTable('products', {
      product_id: { type: DataTypes.STRING(64), primaryKey: true },
      name: { type: DataTypes.STRING(200), allowNull: false },
      price_krw: { type: DataTypes.BIGINT, allowNull: false },
      stock: { type: DataTypes.INTEGER, allowNull: false },
    });
    // The database refuses negative stock even if application code ever got it wrong.
    await queryInterface.addConstraint('products', {
      type: 'check',
      fields: ['stock'],
      where: { stock: { [Op.gte]: 0 } },
      name: 'products_stock_non_negative',
    });
    await queryInterface.bulkInsert('products', SEED);
  },
  async down(queryInterface: QueryInterface) {
    await queryInterface.dropTable('products');
  },
};
