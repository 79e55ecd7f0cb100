import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { plainInsertCommitLoop } from '@funshop/tools/bench/plain-mysql';
import { TEST } from '@funshop/tools/layout';

const database = TEST.services.find((service) => service.name === 'order')!.database;

// Its orders once were overdue the moment they committed: the order service's sweep then expired
// them, a saga each, under every bench scenario that came after the loop (docs/performance.md, step 6).
test("the bench's plain loop writes orders due within the payment window it is given, as PlaceOrder's are", async () => {
  const windowSeconds = 3_600;
  const result = await plainInsertCommitLoop(database, ['plain-loop-guard-item'], 2, 0.3, windowSeconds);
  assert.ok(result.requests > 0, 'the loop wrote orders');
  const db = await createConnection({ host: '127.0.0.1', user: 'funshop', password: 'funshop', database });
  try {
    const [[written]] = await db.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS orders, MIN(TIMESTAMPDIFF(SECOND, created_at, expires_at)) AS dueInSeconds FROM orders WHERE customer_id = 'bench-plain'",
    );
    assert.is(Number(written.orders), result.requests, 'one order per transaction');
    assert.is(Number(written.dueInSeconds), windowSeconds, 'every order due a payment window after it was placed');
  } finally {
    await db.query("DELETE FROM order_lines WHERE order_id IN (SELECT order_id FROM orders WHERE customer_id = 'bench-plain')");
    await db.query("DELETE FROM orders WHERE customer_id = 'bench-plain'");
    await db.query("DELETE FROM outbox_events WHERE event_type = 'bench.Plain'");
    await db.end();
  }
});

test.run();
