import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** Table rows as sequelize sees them. The schema itself is owned by the migrations. */
export class ProductRow extends Model<InferAttributes<ProductRow>, InferCreationAttributes<ProductRow>> {
  declare productId: string;
  declare name: string;
  declare priceKrw: number;
  declare stock: number;
}

export class OrderRow extends Model<InferAttributes<OrderRow>, InferCreationAttributes<OrderRow>> {
  declare orderId: string;
  declare customerId: string;
  declare status: string;
  declare totalKrw: number;
  declare version: number;
  declare createdAt: Date;
  declare updatedAt: Date;
  declare expiresAt: Date;
  declare paymentId: string | null;
  declare paymentDeclineReason: string | null;
  declare cancelReason: string | null;
}

export class OrderLineRow extends Model<InferAttributes<OrderLineRow>, InferCreationAttributes<OrderLineRow>> {
  declare orderId: string;
  declare lineNo: number;
  declare productId: string;
  declare productName: string;
  declare unitPriceKrw: number;
  declare quantity: number;
}

export function defineModels(sequelize: Sequelize): void {
  ProductRow.init(
    {
      productId: { type: DataTypes.STRING(64), primaryKey: true },
      name: { type: DataTypes.STRING(200), allowNull: false },
      priceKrw: { type: DataTypes.BIGINT, allowNull: false },
      stock: { type: DataTypes.INTEGER, allowNull: false },
    },
    { sequelize, tableName: 'products' },
  );
  OrderRow.init(
    {
      orderId: { type: DataTypes.CHAR(36), primaryKey: true },
      customerId: { type: DataTypes.STRING(64), allowNull: false },
      status: { type: DataTypes.STRING(20), allowNull: false },
      totalKrw: { type: DataTypes.BIGINT, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: { type: DataTypes.DATE(6), allowNull: false },
      updatedAt: { type: DataTypes.DATE(6), allowNull: false },
      expiresAt: { type: DataTypes.DATE(6), allowNull: false },
      paymentId: { type: DataTypes.STRING(64), allowNull: true },
      paymentDeclineReason: { type: DataTypes.STRING(200), allowNull: true },
      cancelReason: { type: DataTypes.STRING(200), allowNull: true },
    },
    { sequelize, tableName: 'orders' },
  );
  OrderLineRow.init(
    {
      orderId: { type: DataTypes.CHAR(36), primaryKey: true },
      lineNo: { type: DataTypes.SMALLINT, primaryKey: true },
      productId: { type: DataTypes.STRING(64), allowNull: false },
      productName: { type: DataTypes.STRING(200), allowNull: false },
      unitPriceKrw: { type: DataTypes.BIGINT, allowNull: false },
      quantity: { type: DataTypes.INTEGER, allowNull: false },
    },
    { sequelize, tableName: 'order_lines' },
  );
}
