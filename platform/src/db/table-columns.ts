import type { Model, ModelStatic } from 'sequelize';
import type { SqlValue } from './driver';
import { rowPlaceholders } from './statements';

/**
 * A table's columns as its sequelize model defines them: the one definition that the model API
 * and the fixed SQL of the hot paths (Statements) share, so a column added to the model reaches
 * every statement. Rows are keyed by the model's attribute names (camelCase); the SQL names its
 * columns by field (snake_case). The schema itself belongs to the migrations, which keep their
 * own copy on purpose: a migration is history and must not change when the model does.
 */
export class TableColumns<Row extends object> {
  readonly table: string;
  private readonly attributes: (keyof Row & string)[];
  private readonly fields: string[];
  private readonly quote: (identifier: string) => string;
  private readonly selectLists = new Map<string, string>();
  /** The INSERT and UPDATE texts already made: repositories ask for them on every write. */
  private readonly statementTexts = new Map<string, string>();

  constructor(model: ModelStatic<Model>) {
    this.table = model.getTableName() as string;
    const definitions = Object.entries(model.getAttributes());
    this.attributes = definitions.map(([attribute]) => attribute as keyof Row & string);
    this.fields = definitions.map(([attribute, definition]) => definition.field ?? attribute);
    const queryInterface = model.sequelize!.getQueryInterface();
    this.quote = (identifier) => queryInterface.quoteIdentifier(identifier);
  }

  /**
   * `order_id AS "orderId", …`: each column as the row's key, prefixed with a table alias if
   * given, leaving out the attributes in `omit` (a join's key that the other table already gives).
   */
  select(alias = '', omit: readonly (keyof Row & string)[] = []): string {
    const key = `${alias}:${omit.join(',')}`;
    let list = this.selectLists.get(key);
    if (list === undefined) {
      const prefix = alias ? `${alias}.` : '';
      list = this.fields
        .flatMap((field, index) => (omit.includes(this.attributes[index]) ? [] : [`${prefix}${field} AS ${this.quote(this.attributes[index])}`]))
        .join(', ');
      this.selectLists.set(key, list);
    }
    return list;
  }

  /**
   * `INSERT INTO <table> (<every column>) VALUES (?, …)`, for `values(row)` (of each row, one
   * after the other, when `rows` are inserted at once); into another table of the same columns if
   * named (a snapshot of this one).
   */
  insert(options: { table?: string; rows?: number } = {}): string {
    const table = options.table ?? this.table;
    const rows = options.rows ?? 1;
    return this.remembered(
      `insert:${table}:${rows}`,
      () => `INSERT INTO ${table} (${this.fields.join(', ')}) VALUES ${rowPlaceholders(rows, this.fields.length)}`,
    );
  }

  /**
   * `UPDATE <table> SET <every column but the key> = ? … WHERE <key> = ?` and what `where` adds,
   * for `[...updateValues(row), ...whatWhereNeeds]`.
   */
  update(key: keyof Row & string, options: { where?: string; table?: string } = {}): string {
    const table = options.table ?? this.table;
    return this.remembered(`update:${table}:${key}:${options.where ?? ''}`, () => {
      const assignments = this.fields.filter((_, index) => this.attributes[index] !== key).map((field) => `${field} = ?`);
      const where = options.where ? ` AND ${options.where}` : '';
      return `UPDATE ${table} SET ${assignments.join(', ')} WHERE ${this.fieldOf(key)} = ?${where}`;
    });
  }

  private remembered(key: string, make: () => string): string {
    let text = this.statementTexts.get(key);
    if (text === undefined) this.statementTexts.set(key, (text = make()));
    return text;
  }

  /** The row's values in column order: what `insert` binds. */
  values(row: Row): SqlValue[] {
    return this.attributes.map((attribute) => this.valueOf(row, attribute));
  }

  /** The row's values as `update(key)` binds them: every column but the key, then the key. */
  updateValues(row: Row, key: keyof Row & string): SqlValue[] {
    const values = this.attributes.filter((attribute) => attribute !== key).map((attribute) => this.valueOf(row, attribute));
    return [...values, this.valueOf(row, key)];
  }

  /** A missing value is a mapper out of step with the model: fail, rather than write NULL. */
  private valueOf(row: Row, attribute: keyof Row & string): SqlValue {
    const value = row[attribute];
    if (value === undefined) throw new Error(`the row for ${this.table} has no value for ${attribute}`);
    return value as SqlValue;
  }

  /** Every column's name, in the order `insert` and `values` use. */
  get columnNames(): readonly string[] {
    return this.fields;
  }

  /** The column behind an attribute. */
  fieldOf(attribute: keyof Row & string): string {
    const index = this.attributes.indexOf(attribute);
    if (index < 0) throw new Error(`${this.table} has no attribute ${attribute}`);
    return this.fields[index];
  }
}

const tables = new WeakMap<ModelStatic<Model>, TableColumns<object>>();

/** The model's TableColumns, made once (repositories are made per transaction). */
export function columnsOf<Row extends object>(model: ModelStatic<Model>): TableColumns<Row> {
  let columns = tables.get(model);
  if (!columns) tables.set(model, (columns = new TableColumns<object>(model)));
  return columns as TableColumns<Row>;
}
