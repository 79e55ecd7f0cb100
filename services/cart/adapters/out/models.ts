import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { CartItem } from '../../domain/cart-order';

/** Table rows as sequelize sees them. The schema itself is owned by the migrations. */
export class CartOrderRow extends Model<InferAttributes<CartOrderRow>, InferCreationAttributes<CartOrderRow>> {
  declare orderId: string;
  declare customerId: string;
  declare status: string;
  declare placed: boolean;
  declare version: number;
  declare createdAt: Date;
  declare updatedAt: Date;
  declare cancelReason: string | null;
  declare items: CartItem[];
}

export class CancellationRow extends Model<InferAttributes<CancellationRow>, InferCreationAttributes<CancellationRow>> {
  declare cancellationId: string;
  declare orderId: string;
  declare customerId: string;
  declare reason: string;
  declare cancelledAt: Date;
}

export function defineModels(sequelize: Sequelize): void {
  CartOrderRow.init(
    {
      orderId: { type: DataTypes.CHAR(36), primaryKey: true },
      customerId: { type: DataTypes.STRING(64), allowNull: false },
      status: { type: DataTypes.STRING(20), allowNull: false },
      placed: { type: DataTypes.BOOLEAN, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: { type: DataTypes.DATE(6), allowNull: false },
      updatedAt: { type: DataTypes.DATE(6), allowNull: false },
      cancelReason: { type: DataTypes.STRING(200), allowNull: true },
      items: { type: DataTypes.JSON, allowNull: false },
    },
    { sequelize, tableName: 'cart_orders' },
  );
  CancellationRow.init(
    {
      cancellationId: { type: DataTypes.CHAR(36), primaryKey: true },
      orderId: { type: DataTypes.CHAR(36), allowNull: false },
      customerId: { type: DataTypes.STRING(64), allowNull: false },
      reason: { type: DataTypes.STRING(200), allowNull: false },
      cancelledAt: { type: DataTypes.DATE(6), allowNull: false },
    },
    { sequelize, tableName: 'cancellations' },
  );
}
