import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DataTypes, DatabaseError, Model, UniqueConstraintError, type Sequelize } from 'sequelize';
import { deleteInChunks } from '../src/chunks';
import { connectDatabase, inTransaction } from '../src/db/database';
import { inList, Statements } from '../src/db/statements';
import { columnsOf } from '../src/db/table-columns';
import { createLogger } from '../src/logger';

const logger = createLogger('statements-test', 'silent');

const DATABASES = [
  { name: 'MariaDB', url: 'mysql://funshop:funshop@127.0.0.1:3306/funshop_test_statements', timestamp: 'DATETIME(3)' },
  { name: 'PostgreSQL', url: 'postgres://funshop:funshop@127.0.0.1:5432/funshop_test_statements', timestamp: 'TIMESTAMPTZ(3)' },
];

for (const { name, url, timestamp } of DATABASES) {
  const it = suite(`prepared statements on ${name}`, {} as { sequelize: Sequelize; statements: Statements });

  it.before(async (context) => {
    context.sequelize = await connectDatabase({ url: new URL(url), poolMax: 5, connectTimeoutMs: 10_000 }, logger);
    context.statements = new Statements(context.sequelize);
    await context.sequelize.query('DROP TABLE IF EXISTS statement_items');
    await context.sequelize.query(`CREATE TABLE statement_items (id VARCHAR(20) PRIMARY KEY, quantity INTEGER NOT NULL, at ${timestamp} NULL)`);
  });
  it.after(({ sequelize }) => sequelize.close());

  it('writes and reads values in and out of a transaction, and a rollback discards its writes', async ({ sequelize, statements }) => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    assert.is(await statements.execute('INSERT INTO statement_items (id, quantity, at) VALUES (?, ?, ?), (?, ?, ?)', ['a', 1, at, 'b', 2, null]), 2);
    await inTransaction(sequelize, undefined, async (transaction) => {
      assert.is(await statements.execute('UPDATE statement_items SET quantity = quantity + ? WHERE id = ?', [10, 'a'], transaction), 1);
      // The transaction's own connection sees its uncommitted write.
      const [row] = await statements.rows<{ quantity: number }>('SELECT quantity FROM statement_items WHERE id = ?', ['a'], transaction);
      assert.is(row.quantity, 11);
    });
    await sequelize
      .transaction(async (transaction) => {
        await statements.execute('UPDATE statement_items SET quantity = ? WHERE id = ?', [99, 'b'], transaction);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    const rows = await statements.rows<{ id: string; quantity: number; at: Date | null }>('SELECT id, quantity, at FROM statement_items ORDER BY id', []);
    assert.equal(
      rows.map((row) => [row.id, row.quantity, row.at?.toISOString() ?? null]),
      [
        ['a', 11, at.toISOString()],
        ['b', 2, null],
      ],
    );
  });

  it('a duplicate key is a UniqueConstraintError, any other failure a DatabaseError with the driver error as parent', async ({ statements }) => {
    await statements.execute('INSERT INTO statement_items (id, quantity) VALUES (?, ?)', ['dup', 1]);
    try {
      await statements.execute('INSERT INTO statement_items (id, quantity) VALUES (?, ?)', ['dup', 2]);
      assert.unreachable('inserted a duplicate key');
    } catch (error) {
      assert.instance(error, UniqueConstraintError);
    }
    try {
      await statements.rows('SELECT no_such_column FROM statement_items WHERE id = ?', ['dup']);
      assert.unreachable('selected a missing column');
    } catch (error) {
      assert.instance(error, DatabaseError);
      assert.ok((error as DatabaseError).parent, 'the driver error is kept');
      assert.match((error as DatabaseError).sql, /no_such_column/);
    }
  });

  it('an IN list is padded to a power of two with its last value, which matches the same rows', async ({ statements }) => {
    await statements.execute('INSERT INTO statement_items (id, quantity) VALUES (?, ?), (?, ?), (?, ?)', ['in-1', 1, 'in-2', 2, 'in-3', 3]);
    const list = inList(['in-1', 'in-3', 'in-missing']);
    assert.equal(list, { sql: '?, ?, ?, ?', params: ['in-1', 'in-3', 'in-missing', 'in-missing'] });
    const rows = await statements.rows<{ id: string }>(`SELECT id FROM statement_items WHERE id IN (${list.sql}) ORDER BY id`, list.params);
    assert.equal(
      rows.map((row) => row.id),
      ['in-1', 'in-3'],
    );
    assert.equal(inList(['in-2']), { sql: '?', params: ['in-2'] });
    assert.is(inList(Array.from({ length: 5 }, (_, i) => i)).params.length, 8);
    assert.throws(() => inList([]), /at least one value/);
  });

  it('deletes in chunks of at most the size asked for, only the matching rows, until a chunk comes back short', async ({ statements }) => {
    const values = Array.from({ length: 7 }, (_, i) => [`chunk-${i}`, i % 2 === 0 ? 100 : 200]).flat();
    await statements.execute(`INSERT INTO statement_items (id, quantity) VALUES ${Array.from({ length: 7 }, () => '(?, ?)').join(', ')}`, values);
    const chunkSizes: number[] = [];
    const deleted = await deleteInChunks(
      async () => {
        const count = await statements.deleteChunk('statement_items', ['id'], 'quantity = ?', [100], 2);
        chunkSizes.push(count);
        return count;
      },
      2,
      10,
    );
    assert.is(deleted, 4);
    assert.equal(chunkSizes, [2, 2, 0]);
    const left = await statements.rows<{ quantity: number }>('SELECT quantity FROM statement_items WHERE id LIKE ?', ['chunk-%']);
    assert.equal(
      left.map((row) => row.quantity),
      [200, 200, 200],
    );
    // A run stops after its last chunk even when more is left.
    await statements.execute('UPDATE statement_items SET quantity = ? WHERE id LIKE ?', [100, 'chunk-%']);
    assert.is(await deleteInChunks(() => statements.deleteChunk('statement_items', ['id'], 'quantity = ?', [100], 1), 1, 2), 2);
  });

  it('a model’s columns make the statements: insert, update by key, and a select whose rows are keyed as the model’s attributes', async ({
    sequelize,
    statements,
  }) => {
    class StatementItem extends Model {}
    StatementItem.init(
      { id: { type: DataTypes.STRING(20), primaryKey: true }, quantity: { type: DataTypes.INTEGER }, at: { type: DataTypes.DATE } },
      { sequelize, tableName: 'statement_items', timestamps: false },
    );
    const columns = columnsOf<{ id: string; quantity: number; at: Date | null }>(StatementItem);
    assert.is(columns, columnsOf(StatementItem), 'made once per model');
    const at = new Date('2026-12-02T10:00:00.123Z');
    await statements.execute(columns.insert({ rows: 2 }), [
      ...columns.values({ id: 'col-1', quantity: 1, at }),
      ...columns.values({ id: 'col-2', quantity: 2, at: null }),
    ]);
    assert.is(
      await statements.execute(columns.update('id', { where: 'quantity = ?' }), [...columns.updateValues({ id: 'col-1', quantity: 5, at }, 'id'), 1]),
      1,
    );
    assert.is(
      await statements.execute(columns.update('id', { where: 'quantity = ?' }), [...columns.updateValues({ id: 'col-2', quantity: 5, at }, 'id'), 99]),
      0,
    );
    const rows = await statements.rows<{ id: string; quantity: number; at: Date | null }>(
      `SELECT ${columns.select('s')} FROM statement_items s WHERE s.id LIKE ? ORDER BY s.id`,
      ['col-%'],
    );
    assert.equal(
      rows.map((row) => [row.id, row.quantity, row.at?.toISOString() ?? null]),
      [
        ['col-1', 5, at.toISOString()],
        ['col-2', 2, null],
      ],
    );
    assert.throws(() => columns.values({ id: 'col-3', quantity: 1 } as never), /has no value for at/);
  });

  it.run();
}
