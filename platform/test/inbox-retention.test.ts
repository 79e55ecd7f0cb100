import { randomUUID } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { QueryTypes, type Sequelize } from 'sequelize';
import { connectDatabase } from '../src/db/database';
import { migrate } from '../src/db/migrations';
import { Statements } from '../src/db/statements';
import { listDeadLetters, replayDeadLetters } from '../src/messaging/dead-letters';
import { InboxRetention } from '../src/messaging/inbox-retention';
import { messagingMigrations } from '../src/messaging/outbox';
import { Metrics } from '../src/metrics';
import { RABBITMQ_URL, ledger, logger, openMessagingDatabase, startPipeline, uniqueName, waitFor, writeEvents } from './messaging-harness';

const it = suite('inbox retention: pruned rows never let an event apply twice', {} as { sequelize: Sequelize });

it.before(async (context) => {
  context.sequelize = await openMessagingDatabase();
});
it.after(async ({ sequelize }) => sequelize.close());

function inboxRows(sequelize: Sequelize, consumer: string): Promise<{ event_id: string }[]> {
  return sequelize.query('SELECT event_id FROM inbox_events WHERE consumer = ?', { replacements: [consumer], type: QueryTypes.SELECT });
}

it('an event redelivered after its inbox row was pruned is dead-lettered, not applied again', async ({ sequelize }) => {
  const consumer = uniqueName('retention');
  const eventType = `test.${consumer}.Happened`;
  let fixed = false;
  const pipeline = await startPipeline(sequelize, { consumer, eventType, retryDelaysMs: [50, 100], poisoned: (value) => value === 13 && !fixed });
  const old = [1, 2, 3].map((value) => ({ aggregateId: `${consumer}-old-${value}`, sequence: 1, value }));
  const young = [4, 5, 6].map((value) => ({ aggregateId: `${consumer}-young-${value}`, sequence: 1, value }));
  const neverApplied = { aggregateId: `${consumer}-poison`, sequence: 1, value: 13 };
  try {
    await writeEvents(sequelize, pipeline.outbox, eventType, [...old, neverApplied]);
    await waitFor('the old events to be applied', async () => (await ledger(sequelize, consumer)).length === old.length);
    await waitFor('the poison event to be dead-lettered', async () => (await listDeadLetters(RABBITMQ_URL, consumer)).length === 1);
    const between = Date.now() + 1;
    await waitFor('the clock to move past the old events', async () => Date.now() > between);
    await writeEvents(sequelize, pipeline.outbox, eventType, young);
    await waitFor('the young events to be applied', async () => (await ledger(sequelize, consumer)).length === old.length + young.length);

    // The horizon falls between the two: the old events' rows go, the young ones' stay.
    const retention = new InboxRetention(sequelize, consumer, { retentionMs: Date.now() - between, everyMs: 60_000, chunk: 2 }, logger, new Metrics());
    assert.is(await retention.prune(), old.length, 'the old rows, two to a statement');
    assert.is((await inboxRows(sequelize, consumer)).length, young.length);

    // As when a relay crashed after the broker confirmed a batch and before marking it sent:
    // every event is published again.
    await sequelize.query('UPDATE outbox_events SET sent_at = NULL WHERE event_type = ?', { replacements: [eventType] });
    pipeline.relay.wake();
    await waitFor(
      'the young duplicates to be skipped',
      async () => (await pipeline.metrics.value('funshop_events_duplicate_total', { consumer })) >= young.length,
    );
    const appliedTwice = async () => (await ledger(sequelize, consumer)).some((row) => row.applied > 1);
    await waitFor(
      'the old ones to be refused (or applied twice)',
      async () => (await appliedTwice()) || (await listDeadLetters(RABBITMQ_URL, consumer)).length === 1 + old.length + 1,
    );
    for (const row of await ledger(sequelize, consumer)) assert.is(row.applied, 1, `${row.aggregate_id} applied once`);
    const refused = (await listDeadLetters(RABBITMQ_URL, consumer)).filter((letter) => /inbox horizon/.test(letter.lastError));
    assert.is(refused.length, old.length + 1, 'the old events and the second copy of the poison one, each past the horizon');
    assert.is(await pipeline.metrics.value('funshop_events_past_horizon_total', { consumer }), old.length + 1);

    // A plain replay is refused again: the inbox cannot tell whether these were applied.
    fixed = true;
    await replayDeadLetters(RABBITMQ_URL, consumer);
    await waitFor(
      'the replayed events to be refused again',
      async () => (await pipeline.metrics.value('funshop_events_past_horizon_total', { consumer })) === 2 * (old.length + 1) + 1,
    );
    for (const row of await ledger(sequelize, consumer)) assert.is(row.applied, 1, `${row.aggregate_id} applied once`);

    // An operator who checked that the poison event was never applied replays one copy with the override.
    const letters = await listDeadLetters(RABBITMQ_URL, consumer);
    const poison = letters.find((letter) => JSON.parse(Buffer.from(letter.payloadBase64, 'base64').toString()).value === 13)!;
    // Both copies (the first delivery's and the republished one) carry the event's id: one is applied, the other is a duplicate.
    assert.equal(await replayDeadLetters(RABBITMQ_URL, consumer, poison.messageId, { acceptPastHorizon: true }), [poison.messageId, poison.messageId]);
    await waitFor('the checked event to be applied', async () =>
      (await ledger(sequelize, consumer)).some((row) => row.aggregate_id === neverApplied.aggregateId),
    );
    assert.equal(
      (await ledger(sequelize, consumer)).find((row) => row.aggregate_id === neverApplied.aggregateId),
      { consumer, aggregate_id: neverApplied.aggregateId, applied: 1, total: 13, last_sequence: 1, out_of_order: 0 },
    );
  } finally {
    await pipeline.stop();
  }
});

for (const url of ['mysql://funshop:funshop@127.0.0.1:3306/funshop_test_messaging', 'postgres://funshop:funshop@127.0.0.1:5432/funshop_test_messaging']) {
  const dialect = new URL(url).protocol.replace(':', '');
  it(`the horizon never goes back and moves at most twice as fast as the clock (${dialect})`, async () => {
    const sequelize = await connectDatabase({ url: new URL(url), poolMax: 5, connectTimeoutMs: 10_000 }, logger);
    try {
      await migrate(sequelize, messagingMigrations, logger);
      const consumer = uniqueName('horizon');
      const horizon = async () => {
        const [row] = await sequelize.query<{ horizon: Date; advanced_at: Date }>('SELECT horizon, advanced_at FROM inbox_horizons WHERE consumer = ?', {
          replacements: [consumer],
          type: QueryTypes.SELECT,
        });
        return { horizon: new Date(row.horizon).getTime(), advancedAt: new Date(row.advanced_at).getTime() };
      };
      const backdate = (ms: number) =>
        sequelize.query(`UPDATE inbox_horizons SET advanced_at = ? WHERE consumer = ?`, { replacements: [new Date(Date.now() - ms), consumer] });
      const day = 86_400_000;
      const oneDay = new InboxRetention(sequelize, consumer, { retentionMs: day, everyMs: 1_000 }, logger, new Metrics());

      const before = Date.now();
      await oneDay.prune();
      const first = await horizon();
      assert.ok(first.horizon >= before - day && first.horizon <= Date.now() - day, 'the first horizon is a retention ago');

      await oneDay.prune();
      assert.is((await horizon()).horizon, first.horizon, 'a run right after another leaves it');

      // Every replica was down for an hour: the horizon does not leap an hour when one comes back.
      await backdate(3_600_000);
      await oneDay.prune();
      const afterOutage = await horizon();
      assert.ok(afterOutage.horizon > first.horizon, 'it moved');
      assert.ok(afterOutage.horizon - first.horizon <= 2 * 1_000, `by at most two sweep intervals, not ${afterOutage.horizon - first.horizon} ms`);

      // A longer retention configured later: never back.
      const oneWeek = new InboxRetention(sequelize, consumer, { retentionMs: 7 * day, everyMs: 1_000 }, logger, new Metrics());
      await backdate(10_000);
      await oneWeek.prune();
      assert.is((await horizon()).horizon, afterOutage.horizon);

      // Rows are deleted exactly up to the horizon, on either dialect. (Prepared statements:
      // sequelize's replacements cut a date to the second on MySQL.)
      const at = (await horizon()).horizon;
      for (const offset of [-1, 0, 1]) {
        await new Statements(sequelize).execute(
          'INSERT INTO inbox_events (consumer, event_id, event_type, aggregate_id, sequence, occurred_at, processed_at) VALUES (?, ?, ?, ?, 1, ?, ?)',
          [consumer, randomUUID(), 'test.Happened', `agg-${offset}`, new Date(at + offset), new Date()],
        );
      }
      assert.is(await oneWeek.prune(), 1, 'only the row from before the horizon');
      assert.equal((await inboxRows(sequelize, consumer)).length, 2);
    } finally {
      await sequelize.close();
    }
  });
}

it.run();
