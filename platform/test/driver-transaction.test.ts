import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DataTypes, Model, Transaction, type Sequelize } from 'sequelize';
import { connectDatabase, inTransaction, READ_COMMITTED } from '../src/db/database';
import { Statements } from '../src/db/statements';
import { createLogger } from '../src/logger';

const logger = createLogger('driver-transaction-test', 'silent');

const DATABASES = [
  { name: 'MariaDB', url: 'mysql://funshop:funshop@127.0.0.1:3306/funshop_test_statements' },
  { name: 'PostgreSQL', url: 'postgres://funshop:funshop@127.0.0.1:5432/funshop_test_statements' },
];

class Item extends Model {
  declare id: string;
  declare quantity: number;
}

/** What sequelize's pool says of itself (see pool-metrics.ts). */
function poolOf(sequelize: Sequelize): { using: number } {
  return (sequelize.connectionManager as unknown as { pool: { using: number } }).pool;
}

/** The message a refused attempt fails with ('accepted' if it was not refused). */
function refusal(attempt: () => Promise<unknown>): Promise<string> {
  return attempt().then(
    () => 'accepted',
    (error: Error) => error.message,
  );
}

/** Resolves once `resolve` is called: lets two transactions take turns without waiting on time. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

for (const { name, url } of DATABASES) {
  const it = suite(`transactions begun and ended by the driver, on ${name}`, {} as { sequelize: Sequelize; statements: Statements });

  it.before(async (context) => {
    context.sequelize = await connectDatabase({ url: new URL(url), poolMax: 5, connectTimeoutMs: 10_000 }, logger);
    context.statements = new Statements(context.sequelize);
    await context.sequelize.query('DROP TABLE IF EXISTS transaction_items');
    await context.sequelize.query('CREATE TABLE transaction_items (id VARCHAR(20) PRIMARY KEY, quantity INTEGER NOT NULL)');
    Item.init(
      { id: { type: DataTypes.STRING(20), primaryKey: true }, quantity: { type: DataTypes.INTEGER } },
      { sequelize: context.sequelize, tableName: 'transaction_items', timestamps: false },
    );
  });
  it.after(({ sequelize }) => sequelize.close());

  const ids = async ({ statements }: { statements: Statements }, prefix: string) =>
    (await statements.rows<{ id: string }>('SELECT id FROM transaction_items WHERE id LIKE ? ORDER BY id', [`${prefix}%`])).map((row) => row.id);

  it('is sequelize’s transaction: a model, sequelize.query and Statements write on its connection, and commit or roll back together', async (context) => {
    const { sequelize, statements } = context;
    const writeThreeWays = async (transaction: Transaction, prefix: string) => {
      assert.instance(transaction, Transaction);
      await Item.create({ id: `${prefix}-model`, quantity: 1 }, { transaction });
      await sequelize.query('INSERT INTO transaction_items (id, quantity) VALUES (?, ?)', { replacements: [`${prefix}-query`, 1], transaction });
      await statements.execute('INSERT INTO transaction_items (id, quantity) VALUES (?, ?)', [`${prefix}-statement`, 1], transaction);
      // The transaction's own connection sees all three before the commit; the pool's does not.
      assert.is((await Item.findAll({ where: {}, transaction })).filter((item) => item.id.startsWith(prefix)).length, 3);
      assert.equal(await ids(context, prefix), []);
    };
    await inTransaction(sequelize, undefined, (transaction) => writeThreeWays(transaction, 'kept'));
    assert.equal(await ids(context, 'kept'), ['kept-model', 'kept-query', 'kept-statement']);

    const failure = new Error('the work failed');
    const thrown = await inTransaction(sequelize, undefined, async (transaction) => {
      await writeThreeWays(transaction, 'lost');
      throw failure;
    }).catch((error: unknown) => error);
    assert.is(thrown, failure, 'the work’s own error is what the caller gets');
    assert.equal(await ids(context, 'lost'), []);
    assert.is(poolOf(sequelize).using, 0, 'every connection went back to the pool');
  });

  it('runs commit hooks once, after the commit and in order; a rollback runs none', async ({ sequelize, statements }) => {
    const seen: string[] = [];
    await inTransaction(sequelize, undefined, async (transaction) => {
      await statements.execute('INSERT INTO transaction_items (id, quantity) VALUES (?, ?)', ['hooked', 1], transaction);
      transaction.afterCommit(async () => {
        // After the commit: another connection already sees the row.
        const [row] = await statements.rows<{ id: string }>('SELECT id FROM transaction_items WHERE id = ?', ['hooked']);
        seen.push(`first saw ${row?.id}`);
      });
      transaction.afterCommit(() => void seen.push('second'));
      assert.equal(seen, []);
    });
    assert.equal(seen, ['first saw hooked', 'second']);

    await inTransaction(sequelize, undefined, async (transaction) => {
      transaction.afterCommit(() => void seen.push('after a rollback'));
      throw new Error('roll back');
    }).catch(() => undefined);
    assert.equal(seen, ['first saw hooked', 'second']);
  });

  it('once ended it is refused by Statements, by sequelize and by a second end', async ({ sequelize, statements }) => {
    let ended: Transaction | undefined;
    await inTransaction(sequelize, undefined, async (transaction) => void (ended = transaction));
    const transaction = ended as Transaction;
    assert.match(await refusal(() => statements.rows('SELECT 1 AS one', [], transaction)), /already finished/);
    assert.match(await refusal(() => sequelize.query('SELECT 1', { transaction })), /commit has been called on this transaction/);
    assert.match(await refusal(() => transaction.commit()), /already finished \(commit\)/);
    assert.match(await refusal(() => transaction.rollback()), /already finished \(commit\)/);
  });

  it('a connection lost under a transaction leaves the pool: the caller gets the failure, and the next transaction runs on a new one', async ({
    sequelize,
    statements,
  }) => {
    const ownId = name === 'MariaDB' ? 'SELECT CONNECTION_ID() AS id' : 'SELECT pg_backend_pid() AS id';
    const kill = name === 'MariaDB' ? 'KILL ?' : 'SELECT pg_terminate_backend(?)';
    // The server ends the transaction's connection from another one (a restart, a failover, a
    // DBA's KILL), once before a statement and once just before the COMMIT.
    const lost = (then: (transaction: Transaction) => Promise<unknown>) =>
      inTransaction(sequelize, undefined, async (transaction) => {
        const [{ id }] = await statements.rows<{ id: number }>(ownId, [], transaction);
        await statements.execute(kill, [id]);
        return then(transaction);
      });
    for (const [when, then] of [
      ['before a statement', (transaction: Transaction) => statements.rows('SELECT 1 AS one', [], transaction)],
      ['before the commit', async () => undefined],
    ] as const) {
      const failure = await refusal(() => lost(then));
      assert.not.equal(failure, 'accepted', `a transaction whose connection was lost ${when} failed`);
      assert.is(poolOf(sequelize).using, 0, `no connection is held after it was lost ${when}`);
      assert.equal(await inTransaction(sequelize, undefined, (transaction) => statements.rows<{ one: number }>('SELECT 1 AS one', [], transaction)), [
        { one: 1 },
      ]);
    }
  });

  it('begins at the isolation level asked for: REPEATABLE READ keeps its first snapshot, READ COMMITTED sees a later commit', async ({
    sequelize,
    statements,
  }) => {
    const countTwiceAround = (isolation?: { isolationLevel: Transaction.ISOLATION_LEVELS }, id = 'x') =>
      inTransaction(
        sequelize,
        undefined,
        async (transaction) => {
          const count = async () =>
            Number((await statements.rows<{ n: number | string }>('SELECT COUNT(*) AS n FROM transaction_items WHERE id LIKE ?', ['iso-%'], transaction))[0].n);
          const before = await count();
          await statements.execute('INSERT INTO transaction_items (id, quantity) VALUES (?, ?)', [`iso-${id}`, 1]);
          return [before, await count()];
        },
        isolation,
      );
    assert.equal(await countTwiceAround({ isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ }, 'rr'), [0, 0]);
    assert.equal(await countTwiceAround(READ_COMMITTED, 'rc'), [1, 2]);
    // Without a level, the database's default: REPEATABLE READ on MariaDB, READ COMMITTED on PostgreSQL.
    assert.equal(await countTwiceAround(undefined, 'default'), name === 'MariaDB' ? [2, 2] : [2, 3]);
  });

  it('retries the victim of a deadlock, so both transactions that crossed commit (PostgreSQL finds it after its deadlock_timeout, 1 s)', async ({
    sequelize,
    statements,
  }) => {
    await statements.execute('INSERT INTO transaction_items (id, quantity) VALUES (?, ?), (?, ?)', ['lock-a', 0, 'lock-b', 0]);
    const add = 'UPDATE transaction_items SET quantity = quantity + 1 WHERE id = ?';
    const aLocked = gate();
    const bLocked = gate();
    let attempts = 0;
    // Each locks one row, waits until the other holds the other row, then asks for it: a deadlock.
    const crossing = (first: string, second: string, mine: ReturnType<typeof gate>, theirs: ReturnType<typeof gate>) =>
      inTransaction(sequelize, undefined, async (transaction) => {
        attempts += 1;
        await statements.execute(add, [first], transaction);
        mine.open();
        await theirs.opened;
        await statements.execute(add, [second], transaction);
      });
    await Promise.all([crossing('lock-a', 'lock-b', aLocked, bLocked), crossing('lock-b', 'lock-a', bLocked, aLocked)]);
    assert.is(attempts, 3, 'one of the two ran again');
    const rows = await statements.rows<{ quantity: number }>('SELECT quantity FROM transaction_items WHERE id IN (?, ?)', ['lock-a', 'lock-b']);
    assert.equal(
      rows.map((row) => row.quantity),
      [2, 2],
    );
  });

  it.run();
}
