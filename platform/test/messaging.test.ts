import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { QueryTypes, type Sequelize } from 'sequelize';
import { listDeadLetters, replayDeadLetters } from '../src/messaging/dead-letters';
import { EventConsumer, type EventHandler } from '../src/messaging/consumer';
import { Outbox } from '../src/messaging/outbox';
import { joinedTransaction } from '../src/db/transaction-scope';
import { currentContext, runInContext } from '../src/request-context';
import { OutboxRelay, claimSql } from '../src/messaging/outbox-relay';
import { Broker } from '../src/messaging/broker';
import { Metrics } from '../src/metrics';
import {
  RABBITMQ_URL,
  allMarkedSent,
  consumeAfterBacklog,
  deleteQueues,
  ledger,
  ledgerHandler,
  logger,
  openMessagingDatabase,
  rabbitmqctl,
  startPipeline,
  uniqueName,
  waitFor,
  writeEvents,
} from './messaging-harness';

const it = suite('event backbone on RabbitMQ and MariaDB', {} as { sequelize: Sequelize });

it.before(async (context) => {
  context.sequelize = await openMessagingDatabase();
});
it.after(async ({ sequelize }) => sequelize.close());

/** `count` events over `aggregates` aggregates, each aggregate's in sequence 1, 2, 3… */
function stream(prefix: string, aggregates: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({ aggregateId: `${prefix}-${i % aggregates}`, sequence: Math.floor(i / aggregates) + 1, value: i + 1 }));
}

const expectedTotal = (events: { value: number }[]) => events.reduce((sum, e) => sum + e.value, 0);

async function appliedEverything(sequelize: Sequelize, consumer: string, events: { value: number }[]) {
  const rows = await ledger(sequelize, consumer);
  return rows.reduce((sum, row) => sum + row.total, 0) >= expectedTotal(events);
}

it('the relay claims rows with FOR UPDATE SKIP LOCKED, really sent to MariaDB', async ({ sequelize }) => {
  assert.match(claimSql(10), /FOR UPDATE SKIP LOCKED\s*$/);
  const sent: string[] = [];
  // What sequelize logs for a raw query is the SQL it sends.
  const options = (sequelize as unknown as { options: { logging: unknown } }).options;
  const logging = options.logging;
  options.logging = (sql: string) => void sent.push(sql);
  const broker = new Broker(RABBITMQ_URL, logger);
  await broker.start();
  const relay = new OutboxRelay(sequelize, broker, { batchSize: 10, pollIntervalMs: 60_000, retentionMs: 3_600_000 }, logger, new Metrics());
  try {
    await relay.start();
    await relay.publishBatch();
  } finally {
    options.logging = logging;
    await relay.stop();
    await broker.close();
  }
  assert.ok(
    sent.some((sql) => /SELECT[\s\S]+FROM outbox_events o[\s\S]+FOR UPDATE SKIP LOCKED/.test(sql)),
    'no claim with SKIP LOCKED reached the database',
  );
});

it('after publishing, an idle relay lingers and sleeps: no empty pass unless a commit woke it', async ({ sequelize }) => {
  const consumer = uniqueName('idle');
  const eventType = `test.${consumer}.Happened`;
  const pipeline = await startPipeline(sequelize, { consumer, eventType, relay: { lingerMs: 5, pollIntervalMs: 60_000 } });
  const claims: string[] = [];
  const options = (sequelize as unknown as { options: { logging: unknown } }).options;
  const logging = options.logging;
  try {
    await new Promise((resolve) => setTimeout(resolve, 100)); // the relay's first pass, at start
    options.logging = (sql: string) => void (/FOR UPDATE SKIP LOCKED/.test(sql) && claims.push(sql));
    const events = stream(consumer, 1, 1);
    await writeEvents(sequelize, pipeline.outbox, eventType, events);
    await waitFor('the event to be applied', () => appliedEverything(sequelize, consumer, events));
    await new Promise((resolve) => setTimeout(resolve, 300)); // far longer than the linger
    assert.is(claims.length, 1, 'one claim for one commit');
  } finally {
    options.logging = logging;
    await pipeline.stop();
  }
});

it('a locked row is skipped, not waited for, and its aggregate is held back', async ({ sequelize }) => {
  const name = uniqueName('locked');
  const eventType = `test.${name}.Happened`;
  const outbox = new Outbox(sequelize);
  await writeEvents(sequelize, outbox, eventType, [
    { aggregateId: `${name}-held`, sequence: 1, value: 1 },
    { aggregateId: `${name}-held`, sequence: 2, value: 2 },
    { aggregateId: `${name}-free`, sequence: 1, value: 3 },
  ]);
  const ids = await sequelize.query<{ id: number; aggregate_id: string }>('SELECT id, aggregate_id FROM outbox_events WHERE event_type = ? ORDER BY id', {
    replacements: [eventType],
    type: QueryTypes.SELECT,
  });
  // Another relay holds the first event of "held" while it publishes.
  await sequelize.transaction(async (other) => {
    await sequelize.query('SELECT id FROM outbox_events WHERE id = ? FOR UPDATE', { replacements: [ids[0].id], transaction: other });
    const claimed = await sequelize.transaction(async (mine) => sequelize.query<{ id: number }>(claimSql(100), { type: QueryTypes.SELECT, transaction: mine }));
    const mineOfThis = claimed.map((row) => row.id).filter((id) => ids.some((r) => r.id === id));
    assert.equal(mineOfThis, [ids[2].id], 'only the free aggregate: held#1 is locked and held#2 must wait for it');
  });
  await sequelize.query('UPDATE outbox_events SET sent_at = NOW(6) WHERE event_type = ?', { replacements: [eventType] });
});

it('RabbitMQ restarted in the middle of a stream: every committed event is applied, none twice', async ({ sequelize }) => {
  const consumer = uniqueName('restart');
  const eventType = `test.${consumer}.Happened`;
  const pipeline = await startPipeline(sequelize, { consumer, eventType });
  const statuses: boolean[] = [];
  pipeline.publisherBroker.onStatus((connected) => statuses.push(connected));
  const events = stream(consumer, 10, 150);
  try {
    // Before, during and after the outage: the middle third is committed while the broker is down.
    await writeEvents(sequelize, pipeline.outbox, eventType, events.slice(0, 50));
    await waitFor('some events to be applied', async () => (await ledger(sequelize, consumer)).length > 0);
    await rabbitmqctl('stop_app');
    await writeEvents(sequelize, pipeline.outbox, eventType, events.slice(50, 100));
    await rabbitmqctl('start_app');
    await writeEvents(sequelize, pipeline.outbox, eventType, events.slice(100));
    await waitFor('every event to be applied', () => appliedEverything(sequelize, consumer, events), 60_000);
    const rows = await ledger(sequelize, consumer);
    assert.is(
      rows.reduce((sum, row) => sum + row.applied, 0),
      events.length,
      'applied exactly once each',
    );
    assert.is(
      rows.reduce((sum, row) => sum + row.total, 0),
      expectedTotal(events),
    );
    for (const row of rows) assert.is(row.out_of_order, 0, `${row.aggregate_id} saw events out of order`);
    assert.equal(statuses.slice(0, 2), [false, true], 'the outage was noticed and the connection came back');
  } finally {
    await pipeline.stop();
  }
});

it('a channel error does not crash the process: the connection is recycled and parts set up again', async () => {
  const broker = new Broker(RABBITMQ_URL, logger, { initialMs: 50, maxMs: 500 });
  let setups = 0;
  await broker.start();
  try {
    await broker.use('fragile part', async (connection) => {
      setups += 1;
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      channel.on('close', () => broker.recycle('fragile channel closed'));
      // The first time, provoke a channel error: the broker closes the channel with 404.
      if (setups === 1) await channel.checkQueue(uniqueName('no-such-queue')).catch(() => undefined);
    });
    await waitFor('the part to be set up again', async () => setups >= 2 && broker.connected, 10_000);
  } finally {
    await broker.close();
  }
});

it('every message delivered twice (relay dies between the confirm and marking sent): same state as once', async ({ sequelize }) => {
  const consumer = uniqueName('twice');
  const eventType = `test.${consumer}.Happened`;
  const published = new Set<string>();
  const pipeline = await startPipeline(sequelize, {
    consumer,
    eventType,
    relay: {
      // The broker confirmed the batch, then the relay "dies" before recording it, whenever the
      // batch holds an event published for the first time: every event goes out at least twice.
      afterConfirm: async (eventIds) => {
        const firstTime = eventIds.filter((id) => !published.has(id));
        firstTime.forEach((id) => published.add(id));
        if (firstTime.length > 0) throw new Error('relay killed after the confirm');
      },
    },
  });
  const events = stream(consumer, 5, 40);
  try {
    await writeEvents(sequelize, pipeline.outbox, eventType, events);
    await waitFor('every event to be applied', () => appliedEverything(sequelize, consumer, events));
    await waitFor('the outbox to be marked sent', () => allMarkedSent(sequelize, eventType));
    await waitFor('the duplicates to arrive', async () => (await pipeline.metrics.value('funshop_events_duplicate_total', { consumer })) >= events.length);
    const rows = await ledger(sequelize, consumer);
    assert.is(
      rows.reduce((sum, row) => sum + row.applied, 0),
      events.length,
    );
    assert.is(
      rows.reduce((sum, row) => sum + row.total, 0),
      expectedTotal(events),
    );
    assert.is(await pipeline.metrics.value('funshop_events_consumed_total', { consumer }), events.length);
  } finally {
    await pipeline.stop();
  }
});

it('a poison message is retried with backoff, dead-lettered, and applied once when replayed after a fix', async ({ sequelize }) => {
  const consumer = uniqueName('poison');
  const eventType = `test.${consumer}.Happened`;
  let fixed = false;
  const pipeline = await startPipeline(sequelize, { consumer, eventType, retryDelaysMs: [50, 100], poisoned: (value) => value === 13 && !fixed });
  const events = [
    { aggregateId: `${consumer}-a`, sequence: 1, value: 13 },
    { aggregateId: `${consumer}-b`, sequence: 1, value: 7 },
  ];
  try {
    await writeEvents(sequelize, pipeline.outbox, eventType, events);
    await waitFor('the poison message to be dead-lettered', async () => (await listDeadLetters(RABBITMQ_URL, consumer)).length === 1);
    const [dead] = await listDeadLetters(RABBITMQ_URL, consumer);
    assert.is(dead.eventType, eventType);
    assert.is(dead.attempts, 3, 'the first try and two retries');
    assert.match(dead.lastError, /cannot apply value 13/);
    assert.is(await pipeline.metrics.value('funshop_events_retried_total', { consumer }), 2);
    assert.is(await pipeline.metrics.value('funshop_events_dead_lettered_total', { consumer }), 1);
    assert.equal(
      (await ledger(sequelize, consumer)).map((row) => row.total),
      [7],
      'the healthy event was not held up',
    );

    fixed = true;
    assert.equal(await replayDeadLetters(RABBITMQ_URL, consumer), [dead.messageId]);
    await waitFor('the replayed event to be applied', () => appliedEverything(sequelize, consumer, events));
    assert.equal(
      (await ledger(sequelize, consumer)).map((row) => [row.applied, row.total]),
      [
        [1, 13],
        [1, 7],
      ],
    );
    assert.is((await listDeadLetters(RABBITMQ_URL, consumer)).length, 0);
    // Replaying again finds nothing and changes nothing.
    assert.equal(await replayDeadLetters(RABBITMQ_URL, consumer), []);
  } finally {
    await pipeline.stop();
  }
});

it('a conflict with a concurrent delivery is retried at once, not through the delayed retry queue', async ({ sequelize }) => {
  const consumer = uniqueName('conflict');
  const eventType = `test.${consumer}.Happened`;
  const pipeline = await startPipeline(sequelize, { consumer, eventType, conflictFirst: true });
  const events = stream(consumer, 4, 20);
  try {
    await writeEvents(sequelize, pipeline.outbox, eventType, events);
    await waitFor('every event to be applied', () => appliedEverything(sequelize, consumer, events), 20_000);
    const rows = await ledger(sequelize, consumer);
    assert.is(
      rows.reduce((sum, row) => sum + row.applied, 0),
      events.length,
      'applied exactly once each',
    );
    assert.is(await pipeline.metrics.value('funshop_events_retried_total', { consumer }), 0);
    assert.is(await pipeline.metrics.value('funshop_events_consumed_total', { consumer }), events.length);
  } finally {
    await pipeline.stop();
  }
});

it('deliveries that queued up share transactions: applied once, in order, each in its own context', async ({ sequelize }) => {
  const consumer = uniqueName('backlog');
  const eventType = `test.${consumer}.Happened`;
  const pipeline = await startPipeline(sequelize, { consumer, eventType });
  const events = stream(consumer, 4, 40);
  const applyToLedger = ledgerHandler(consumer, sequelize);
  const seenIn = new Map<string, { correlationId?: string; causationId?: string; value: number }>();
  const handler: EventHandler = async (event, scope) => {
    const { value } = JSON.parse(event.payload.toString()) as { value: number };
    seenIn.set(event.eventId, { ...currentContext(), value });
    await applyToLedger(event, scope);
  };
  const backlog = await consumeAfterBacklog(sequelize, pipeline, { consumer, eventType, handler, batchSize: 10 }, events);
  try {
    await waitFor('every event to be applied', () => appliedEverything(sequelize, consumer, events));
    const rows = await ledger(sequelize, consumer);
    assert.is(
      rows.reduce((sum, row) => sum + row.applied, 0),
      events.length,
      'applied exactly once each',
    );
    for (const row of rows) assert.is(row.out_of_order, 0, `${row.aggregate_id} saw events out of order`);
    const batches = await pipeline.metrics.value('funshop_event_batches_total', { consumer });
    assert.ok(batches >= 4 && batches <= 10, `40 waiting deliveries in batches of at most 10 took ${batches} transactions`);
    for (const [eventId, seen] of seenIn) {
      assert.is(seen.correlationId, `corr-${seen.value}`, 'each event is handled under its own correlation id');
      assert.is(seen.causationId, eventId, 'and caused by itself');
    }
  } finally {
    await backlog.stop();
    await pipeline.stop();
  }
});

/** 12 events queued up, then consumed in batches of up to 12; `value` 7 fails always, or is in the inbox already. */
async function splitBatch(sequelize: Sequelize, seven: 'failing' | 'already applied') {
  const consumer = uniqueName('split');
  const eventType = `test.${consumer}.Happened`;
  const pipeline = await startPipeline(sequelize, { consumer, eventType });
  const events = stream(consumer, 3, 12);
  const handler = ledgerHandler(consumer, sequelize, (value) => seven === 'failing' && value === 7);
  const markApplied = async () => {
    const [{ event_id }] = await sequelize.query<{ event_id: string }>('SELECT event_id FROM outbox_events WHERE event_type = ? AND payload = ?', {
      replacements: [eventType, JSON.stringify({ value: 7 })],
      type: QueryTypes.SELECT,
    });
    await sequelize.query(
      `INSERT INTO inbox_events (consumer, event_id, event_type, aggregate_id, sequence, occurred_at, processed_at) VALUES (?, ?, ?, 'x', 1, NOW(), NOW())`,
      {
        replacements: [consumer, event_id, eventType],
      },
    );
  };
  const beforeConsuming = seven === 'already applied' ? markApplied : undefined;
  const backlog = await consumeAfterBacklog(sequelize, pipeline, { consumer, eventType, handler, batchSize: 12, beforeConsuming }, events);
  const others = events.filter((event) => event.value !== 7);
  try {
    await waitFor('the others to be applied', () => appliedEverything(sequelize, consumer, others));
    if (seven === 'failing') await waitFor('the failing event to be dead-lettered', async () => (await listDeadLetters(RABBITMQ_URL, consumer)).length === 1);
    const rows = await ledger(sequelize, consumer);
    assert.is(
      rows.reduce((sum, row) => sum + row.applied, 0),
      others.length,
      'each of the others applied once, the seventh not at all',
    );
    assert.is(
      rows.reduce((sum, row) => sum + row.total, 0),
      expectedTotal(others),
    );
    assert.is(await pipeline.metrics.value('funshop_events_consumed_total', { consumer }), others.length);
    assert.ok((await pipeline.metrics.value('funshop_event_batches_split_total', { consumer })) >= 1, 'a batch was split');
    return pipeline.metrics;
  } finally {
    await backlog.stop();
    await pipeline.stop();
  }
}

it('a batch with a failing event is rolled back and applied one by one: only that event is retried', async ({ sequelize }) => {
  const metrics = await splitBatch(sequelize, 'failing');
  assert.is(await metrics.value('funshop_events_retried_total'), 2);
  assert.is(await metrics.value('funshop_events_dead_lettered_total'), 1);
});

it('a batch with an event applied before is rolled back and applied one by one: that event is skipped', async ({ sequelize }) => {
  const metrics = await splitBatch(sequelize, 'already applied');
  assert.is(await metrics.value('funshop_events_duplicate_total'), 1);
  assert.is(await metrics.value('funshop_events_retried_total'), 0);
});

it('a retired event type: its binding is removed, and one still queued is acknowledged without effect, never dead-lettered', async ({ sequelize }) => {
  const consumer = uniqueName('retired');
  const [retiredType, successorType] = [`test.${consumer}.Before`, `test.${consumer}.After`];
  // The consumer as it was: it handles the type that is about to be retired.
  const pipeline = await startPipeline(sequelize, { consumer, eventType: retiredType });
  const broker = new Broker(RABBITMQ_URL, logger, { initialMs: 100, maxMs: 1_000 });
  const inbox = async () =>
    (
      await sequelize.query<{ event_type: string }>('SELECT event_type FROM inbox_events WHERE consumer = ? ORDER BY event_type', {
        replacements: [consumer],
        type: QueryTypes.SELECT,
      })
    ).map((row) => row.event_type);
  try {
    await pipeline.consumer.stop();
    await writeEvents(sequelize, pipeline.outbox, retiredType, stream(`${consumer}-queued`, 2, 2));
    await waitFor('the old events to reach the queue', () => allMarkedSent(sequelize, retiredType));
    // The new version: the type is retired, its successor handled.
    const upgraded = new EventConsumer(
      sequelize,
      broker,
      {
        consumer,
        handlers: { [successorType]: ledgerHandler(consumer, sequelize) },
        retired: { [retiredType]: successorType },
        prefetch: 20,
        batchSize: 10,
        retryDelaysMs: [50, 100],
      },
      logger,
      pipeline.metrics,
    );
    await broker.start();
    await upgraded.start();
    await waitFor('the two queued events to be acknowledged', async () => (await inbox()).length === 2);
    // Published after the upgrade, in this order: the retired event would arrive first if it were still bound.
    await writeEvents(sequelize, pipeline.outbox, retiredType, [{ aggregateId: `${consumer}-late`, sequence: 1, value: 5 }]);
    await writeEvents(sequelize, pipeline.outbox, successorType, [{ aggregateId: `${consumer}-new`, sequence: 1, value: 7 }]);
    await waitFor('the successor to be applied', async () => (await ledger(sequelize, consumer)).length === 1);
    assert.equal(
      (await ledger(sequelize, consumer)).map((row) => [row.aggregate_id, row.total]),
      [[`${consumer}-new`, 7]],
      'the retired events changed nothing',
    );
    assert.equal(
      await inbox(),
      [successorType, retiredType, retiredType],
      'the late retired event never reached the queue (the list is by type: After, then Before)',
    );
    assert.equal(await listDeadLetters(RABBITMQ_URL, consumer), []);
    await upgraded.stop();
  } finally {
    await broker.close();
    await pipeline.stop();
  }
});

it('two relays on one outbox: every event published once applied, per-aggregate order held', async ({ sequelize }) => {
  const consumer = uniqueName('two-relays');
  const eventType = `test.${consumer}.Happened`;
  const pipeline = await startPipeline(sequelize, { consumer, eventType, relay: { batchSize: 7 } });
  const secondBroker = new Broker(RABBITMQ_URL, logger);
  await secondBroker.start();
  const second = new OutboxRelay(sequelize, secondBroker, { batchSize: 7, pollIntervalMs: 20, retentionMs: 3_600_000 }, logger, pipeline.metrics);
  await second.start();
  const events = stream(consumer, 8, 200);
  try {
    await Promise.all(
      [0, 1, 2, 3].map((lane) =>
        writeEvents(
          sequelize,
          pipeline.outbox,
          eventType,
          events.filter((_, i) => i % 4 === lane),
        ),
      ),
    );
    await waitFor('every event to be applied', () => appliedEverything(sequelize, consumer, events), 60_000);
    const rows = await ledger(sequelize, consumer);
    assert.is(
      rows.reduce((sum, row) => sum + row.applied, 0),
      events.length,
    );
    for (const row of rows) {
      assert.is(row.out_of_order, 0, `${row.aggregate_id} saw events out of order`);
      assert.is(row.last_sequence, 25);
    }
  } finally {
    await second.stop();
    await secondBroker.close();
    await pipeline.stop();
  }
});

it('sent rows are deleted once past their retention; unsent ones never', async ({ sequelize }) => {
  const consumer = uniqueName('retention');
  const eventType = `test.${consumer}.Happened`;
  const pipeline = await startPipeline(sequelize, { consumer, eventType, relay: { retentionMs: 0, cleanupIntervalMs: 0 } });
  const count = async (where: string) =>
    Number(
      (
        await sequelize.query<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox_events WHERE event_type = ? ${where}`, {
          replacements: [eventType],
          type: QueryTypes.SELECT,
        })
      )[0].n,
    );
  try {
    await writeEvents(sequelize, pipeline.outbox, eventType, [{ aggregateId: `${consumer}-1`, sequence: 1, value: 1 }]);
    await waitFor('the event to be applied', async () => (await ledger(sequelize, consumer)).length === 1);
    await waitFor('the sent row to be cleaned up', async () => (await count('')) === 0);
  } finally {
    await pipeline.stop();
  }
});

it('an event a consumer causes carries the same correlation id, and the cause as its causation id', async ({ sequelize }) => {
  const consumer = uniqueName('causation');
  const eventType = `test.${consumer}.Happened`;
  const outbox = new Outbox(sequelize);
  const metrics = new Metrics();
  const broker = new Broker(RABBITMQ_URL, logger);
  const relay = new OutboxRelay(sequelize, broker, { batchSize: 10, pollIntervalMs: 100, retentionMs: 3_600_000 }, logger, metrics);
  const followUp = `${eventType}.FollowUp`;
  const reactor = new EventConsumer(
    sequelize,
    broker,
    {
      consumer,
      prefetch: 4,
      batchSize: 2,
      retryDelaysMs: [50],
      handlers: {
        [eventType]: (event, scope) =>
          outbox.append(joinedTransaction(scope), [
            { eventType: followUp, aggregateType: 'test', aggregateId: event.aggregateId, sequence: event.sequence + 1, payload: Buffer.from('{}') },
          ]),
      },
    },
    logger,
    metrics,
  );
  await broker.start();
  await reactor.start();
  await relay.start();
  try {
    const cause = { correlationId: `corr-${consumer}`, causationId: 'the-request', signal: new AbortController().signal };
    await runInContext(cause, () => writeEvents(sequelize, outbox, eventType, [{ aggregateId: `${consumer}-1`, sequence: 1, value: 1 }]));
    const rows = () =>
      sequelize.query<{ event_id: string; event_type: string; correlation_id: string; causation_id: string }>(
        'SELECT event_id, event_type, correlation_id, causation_id FROM outbox_events WHERE aggregate_id = ? ORDER BY id',
        { replacements: [`${consumer}-1`], type: QueryTypes.SELECT },
      );
    await waitFor('the follow-up event to be written', async () => (await rows()).length === 2);
    const [original, caused] = await rows();
    assert.is(original.correlation_id, `corr-${consumer}`);
    assert.is(original.causation_id, 'the-request');
    assert.is(caused.event_type, followUp);
    assert.is(caused.correlation_id, `corr-${consumer}`, 'the correlation id travels on');
    assert.is(caused.causation_id, original.event_id, 'caused by the consumed event');
  } finally {
    await relay.stop();
    await broker.close();
    await deleteQueues(consumer);
  }
});

it('outbox lag and counters are readable on /metrics', async ({ sequelize }) => {
  const consumer = uniqueName('metrics');
  const eventType = `test.${consumer}.Happened`;
  const pipeline = await startPipeline(sequelize, { consumer, eventType });
  const server = await pipeline.metrics.serve('127.0.0.1', 0);
  try {
    await writeEvents(sequelize, pipeline.outbox, eventType, [{ aggregateId: `${consumer}-1`, sequence: 1, value: 1 }]);
    await waitFor('the event to be applied', async () => (await ledger(sequelize, consumer)).length === 1);
    const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    assert.match(text, new RegExp(`funshop_events_published_total\\{event_type="${eventType.replace(/\./g, '\\.')}"\\} 1`));
    assert.match(text, new RegExp(`funshop_events_consumed_total\\{consumer="${consumer}",event_type="[^"]+"\\} 1`));
    assert.match(text, /# TYPE funshop_outbox_lag_seconds gauge\nfunshop_outbox_lag_seconds \d/);
  } finally {
    await server.close();
    await pipeline.stop();
  }
});

it.run();
