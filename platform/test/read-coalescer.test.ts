import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Sequelize } from 'sequelize';
import { connectDatabase } from '../src/db/database';
import { ReadCoalescer } from '../src/db/read-coalescer';
import { Statements } from '../src/db/statements';
import { createLogger } from '../src/logger';
import { Metrics } from '../src/metrics';
import { currentContext, runInContext } from '../src/request-context';

interface Item {
  id: string;
  quantity: number;
}

const it = suite('ReadCoalescer on MariaDB', {} as { sequelize: Sequelize; statements: Statements });

it.before(async (context) => {
  const url = new URL('mysql://funshop:funshop@127.0.0.1:3306/funshop_test_read_coalescer');
  context.sequelize = await connectDatabase({ url, poolMax: 5, connectTimeoutMs: 10_000 }, createLogger('coalescer-test', 'silent'));
  context.statements = new Statements(context.sequelize);
  await context.sequelize.query('DROP TABLE IF EXISTS coalesced_items');
  await context.sequelize.query('CREATE TABLE coalesced_items (id VARCHAR(20) PRIMARY KEY, quantity INTEGER NOT NULL)');
  const ids = Array.from({ length: 10 }, (_, i) => `item-${i}`);
  await context.statements.execute(
    `INSERT INTO coalesced_items (id, quantity) VALUES ${ids.map(() => '(?, ?)').join(', ')}`,
    ids.flatMap((id, i) => [id, i]),
  );
});
it.after(({ sequelize }) => sequelize.close());

/** The items with these ids, by id: one query, like a repository's. */
function itemsQuery(statements: Statements) {
  return (ids: string[]) =>
    statements.rowsByKey<Item>(
      ids,
      (list) => `SELECT id, quantity FROM coalesced_items WHERE id IN (${list})`,
      (row) => row.id,
    );
}

it('reads asked for together share one query: each gets its row, a duplicate key is read once, a missing one is undefined', async ({ statements }) => {
  const metrics = new Metrics();
  const query = itemsQuery(statements);
  const batches: string[][] = [];
  const contexts: unknown[] = [];
  const coalescer = new ReadCoalescer<string, Item>(
    'item',
    (ids) => {
      batches.push(ids);
      contexts.push(currentContext());
      return query(ids);
    },
    { maxBatch: 64, metrics },
  );
  const keys = ['item-3', 'item-1', 'item-3', 'missing', 'item-7', 'item-1'];
  // As a request handler would ask: inside its own request context.
  const context = { correlationId: 'one-request', causationId: 'one-request', signal: new AbortController().signal };
  const found = await runInContext(context, () => Promise.all(keys.map((key) => coalescer.read(key))));

  assert.equal(
    found.map((item) => item?.quantity),
    [3, 1, 3, undefined, 7, 1],
  );
  assert.equal(batches, [['item-3', 'item-1', 'missing', 'item-7']], 'one query, each key once');
  assert.equal(contexts, [undefined], 'the shared query runs in no single request context');
  assert.is(await metrics.value('funshop_coalesced_read_queries_total', { reader: 'item' }), 1);
  assert.is(await metrics.value('funshop_coalesced_reads_total', { reader: 'item' }), keys.length);
});

it('a read asked for while a query is on its way waits for a query of its own, so it sees what committed before it was asked', async ({ statements }) => {
  const query = itemsQuery(statements);
  let queried!: () => void;
  const firstQueryDone = new Promise<void>((resolve) => (queried = resolve));
  let releaseFirst!: () => void;
  const firstReleased = new Promise<void>((resolve) => (releaseFirst = resolve));
  let calls = 0;
  const coalescer = new ReadCoalescer<string, Item>(
    'item',
    async (ids) => {
      const call = ++calls;
      const rows = await query(ids);
      if (call === 1) {
        // The first query has read the row but not answered yet: it is on its way back.
        queried();
        await firstReleased;
      }
      return rows;
    },
    { maxBatch: 64 },
  );

  const before = coalescer.read('item-5');
  await firstQueryDone;
  await statements.execute('UPDATE coalesced_items SET quantity = ? WHERE id = ?', [500, 'item-5']);
  const after = coalescer.read('item-5');
  releaseFirst();

  assert.is((await before)?.quantity, 5, 'the first read is answered by the query that was already running');
  assert.is((await after)?.quantity, 500, 'the read asked for after the update committed sees it');
  assert.is(calls, 2);
  await statements.execute('UPDATE coalesced_items SET quantity = ? WHERE id = ?', [5, 'item-5']);
});

it('a failing query fails every read it carried, and the next reads are queried afresh', async ({ statements }) => {
  const query = itemsQuery(statements);
  let fail = true;
  const coalescer = new ReadCoalescer<string, Item>(
    'item',
    (ids) => (fail ? statements.rows<Item>('SELECT no_such_column FROM coalesced_items WHERE id = ?', [ids[0]]).then(() => new Map()) : query(ids)),
    { maxBatch: 64 },
  );
  const failed = await Promise.allSettled(['item-1', 'item-2', 'item-1'].map((key) => coalescer.read(key)));
  assert.equal(
    failed.map((result) => result.status),
    ['rejected', 'rejected', 'rejected'],
  );
  assert.match(String((failed[0] as PromiseRejectedResult).reason), /no_such_column/);
  fail = false;
  assert.is((await coalescer.read('item-2'))?.quantity, 2);
});

it('more keys than one query may carry are split into queries of at most maxBatch keys', async ({ statements }) => {
  const query = itemsQuery(statements);
  const batchSizes: number[] = [];
  const coalescer = new ReadCoalescer<string, Item>(
    'item',
    (ids) => {
      batchSizes.push(ids.length);
      return query(ids);
    },
    { maxBatch: 4 },
  );
  const keys = Array.from({ length: 10 }, (_, i) => `item-${i}`);
  const found = await Promise.all(keys.map((key) => coalescer.read(key)));
  assert.equal(
    found.map((item) => item?.quantity),
    keys.map((_, i) => i),
  );
  assert.equal(batchSizes, [4, 4, 2]);
});

it.run();
