import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { MyPageItem } from '../../domain/my-page-order';

/** Table rows as sequelize sees them. The schema itself is owned by the migrations. */
export class MyPageOrderRow extends Model<InferAttributes<MyPageOrderRow>, InferCreationAttributes<MyPageOrderRow>> {
  declare orderId: string;
  declare customerId: string;
  declare items: MyPageItem[];
  declare totalKrw: number;
  declare orderStatus: string;
  declare paymentStatus: string;
  declare cartStatus: string;
  declare createdAt: Date;
  declare updatedAt: Date;
  declare correlationId: string;
  declare placed: boolean;
  declare orderSequence: number;
}

export class StoredEventRow extends Model<InferAttributes<StoredEventRow>, InferCreationAttributes<StoredEventRow>> {
  declare position?: number;
  declare eventId: string;
  declare eventType: string;
  declare aggregateId: string;
  declare sequence: number;
  declare occurredAt: Date;
  declare correlationId: string;
  declare causationId: string;
  declare contentType: string;
  declare payload: Buffer;
}

export function defineModels(sequelize: Sequelize): void {
  MyPageOrderRow.init(
    {
      orderId: { type: DataTypes.STRING(64), primaryKey: true },
      customerId: { type: DataTypes.STRING(64), allowNull: false },
      items: { type: DataTypes.JSONB, allowNull: false },
      totalKrw: { type: DataTypes.BIGINT, allowNull: false },
      orderStatus: { type: DataTypes.STRING(20), allowNull: false },
      paymentStatus: { type: DataTypes.STRING(20), allowNull: false },
      cartStatus: { type: DataTypes.STRING(20), allowNull: false },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      updatedAt: { type: DataTypes.DATE, allowNull: false },
      correlationId: { type: DataTypes.STRING(128), allowNull: false },
      placed: { type: DataTypes.BOOLEAN, allowNull: false },
      orderSequence: { type: DataTypes.INTEGER, allowNull: false },
    },
    { sequelize, tableName: 'my_page_orders' },
  );
  StoredEventRow.init(
    {
      position: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
      eventId: { type: DataTypes.STRING(64), allowNull: false },
      eventType: { type: DataTypes.STRING(200), allowNull: false },
      aggregateId: { type: DataTypes.STRING(64), allowNull: false },
      sequence: { type: DataTypes.INTEGER, allowNull: false },
      occurredAt: { type: DataTypes.DATE, allowNull: false },
      correlationId: { type: DataTypes.STRING(128), allowNull: false },
      causationId: { type: DataTypes.STRING(128), allowNull: false },
      contentType: { type: DataTypes.STRING(100), allowNull: false },
      payload: { type: DataTypes.BLOB, allowNull: false },
    },
    { sequelize, tableName: 'stored_events' },
  );
}
