import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** Table rows as sequelize sees them. The schema itself is owned by the migrations. */
export class PaymentRow extends Model<InferAttributes<PaymentRow>, InferCreationAttributes<PaymentRow>> {
  declare paymentId: string;
  declare orderId: string;
  declare customerId: string;
  declare amountKrw: number;
  declare status: string;
  declare cardLast4: string;
  declare declineReason: string | null;
  declare cancelReason: string | null;
  declare version: number;
  declare createdAt: Date;
  declare updatedAt: Date;
  declare chargedOrderId: string | null;
}

export class EndedOrderRow extends Model<InferAttributes<EndedOrderRow>, InferCreationAttributes<EndedOrderRow>> {
  declare orderId: string;
  declare reason: string;
  declare endedAt: Date;
}

export function defineModels(sequelize: Sequelize): void {
  PaymentRow.init(
    {
      paymentId: { type: DataTypes.CHAR(36), primaryKey: true },
      orderId: { type: DataTypes.STRING(64), allowNull: false },
      customerId: { type: DataTypes.STRING(64), allowNull: false },
      amountKrw: { type: DataTypes.BIGINT, allowNull: false },
      status: { type: DataTypes.STRING(20), allowNull: false },
      cardLast4: { type: DataTypes.CHAR(4), allowNull: false },
      declineReason: { type: DataTypes.STRING(200), allowNull: true },
      cancelReason: { type: DataTypes.STRING(200), allowNull: true },
      version: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: { type: DataTypes.DATE(6), allowNull: false },
      updatedAt: { type: DataTypes.DATE(6), allowNull: false },
      chargedOrderId: { type: DataTypes.STRING(64), allowNull: true },
    },
    { sequelize, tableName: 'payments' },
  );
  EndedOrderRow.init(
    {
      orderId: { type: DataTypes.STRING(64), primaryKey: true },
      reason: { type: DataTypes.STRING(200), allowNull: false },
      endedAt: { type: DataTypes.DATE(6), allowNull: false },
    },
    { sequelize, tableName: 'ended_orders' },
  );
}
