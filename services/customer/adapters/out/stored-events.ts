import { Op, QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { inTransaction } from '@funshop/platform/db/database';
import { Statements, placeholders } from '@funshop/platform/db/statements';
import type { EventEnvelope } from '@funshop/platform/messaging/envelope';
import type { Logger } from '@funshop/platform/logger';
import type { Projection, StoredEventLog } from '../../app/ports';
import { StoredEventRow } from './models';
import { replayBatch } from './replay-batch';
import type { MyPageTable } from './sequelize-my-page-repository';

/** Stored events a compaction folds per call (it runs beside the consumer: short transactions). */
const FOLD_BATCH = 500;
/** Stored events a rebuild replays per batch (replayBatch: three round trips each). */
const REBUILD_BATCH = 5_000;

/** The stored-event log in PostgreSQL, written in the consumer's transaction. */
export class SequelizeStoredEventLog implements StoredEventLog {
  constructor(
    private readonly statements: Statements,
    private readonly transaction: Transaction,
  ) {}

  async append(event: EventEnvelope): Promise<void> {
    await this.statements.execute(
      `INSERT INTO stored_events (event_id, event_type, aggregate_id, sequence, occurred_at, correlation_id, causation_id, content_type, payload)
       VALUES (${placeholders(9)})`,
      [
        event.eventId,
        event.eventType,
        event.aggregateId,
        event.sequence,
        event.occurredAt,
        event.correlationId,
        event.causationId,
        event.contentType,
        Buffer.from(event.payload),
      ],
      this.transaction,
    );
  }
}

/**
 * Waits for every transaction that is storing an event to commit, and holds new ones back until
 * this one ends. Positions come from a sequence, so without it an event could commit under a
 * lower position than one already read, and be skipped.
 */
async function holdStoredEvents(sequelize: Sequelize, transaction: Transaction): Promise<void> {
  await sequelize.query('LOCK TABLE stored_events IN SHARE MODE', { transaction });
}

/** Applies stored events, in the order they were stored, to the read model or its snapshot. */
function replay(
  sequelize: Sequelize,
  transaction: Transaction,
  table: MyPageTable,
  rows: StoredEventRow[],
  projections: Record<string, Projection>,
): Promise<void> {
  return replayBatch(new Statements(sequelize), transaction, table, rows.map(toEnvelope), (event) => projections[event.eventType]);
}

function nextRows(after: number, limit: number, transaction: Transaction): Promise<StoredEventRow[]> {
  return StoredEventRow.findAll({ where: { position: { [Op.gt]: after } }, order: [['position', 'ASC']], limit, transaction });
}

/**
 * Folds the stored events that occurred before `before` into the snapshot, oldest stored first,
 * and deletes them: at most one batch per call; returns how many it folded. The my page itself
 * is untouched (it already holds these events); a rebuild then starts from the snapshot.
 */
export function compactStoredEvents(sequelize: Sequelize, projections: Record<string, Projection>, before: Date): Promise<number> {
  return inTransaction(sequelize, undefined, async (transaction) => {
    await holdStoredEvents(sequelize, transaction);
    const [{ position }] = await sequelize.query<{ position: string }>('SELECT position FROM stored_events_checkpoint WHERE id = 1 FOR UPDATE', {
      transaction,
      type: QueryTypes.SELECT,
    });
    const rows = await nextRows(Number(position), FOLD_BATCH, transaction);
    // A prefix in stored order: a younger event stops the fold, so none is folded out of order.
    const young = rows.findIndex((row) => row.occurredAt >= before);
    const foldable = young === -1 ? rows : rows.slice(0, young);
    if (foldable.length === 0) return 0;
    await replay(sequelize, transaction, 'my_page_snapshot', foldable, projections);
    const last = Number(foldable[foldable.length - 1].position);
    await sequelize.query('DELETE FROM stored_events WHERE position <= ?', { replacements: [last], transaction });
    await sequelize.query('UPDATE stored_events_checkpoint SET position = ?, compacted_at = now() WHERE id = 1', { replacements: [last], transaction });
    return foldable.length;
  });
}

/**
 * Drops the read model and builds it again: the snapshot, then every stored event after it, in
 * the order they were stored (`node main.js rebuild`). What was compacted comes back as the
 * snapshot has it: a change to the projection that must see older events needs a longer
 * CUSTOMER_STORED_EVENT_RETENTION_HOURS before it ships.
 */
export async function rebuildMyPage(sequelize: Sequelize, projections: Record<string, Projection>, logger: Logger, batchSize = REBUILD_BATCH): Promise<number> {
  let replayed = 0;
  await inTransaction(sequelize, undefined, async (transaction) => {
    // Before the TRUNCATE: a consumer stores its event before it locks its my page row.
    await holdStoredEvents(sequelize, transaction);
    await sequelize.query('TRUNCATE my_page_orders', { transaction });
    await sequelize.query('INSERT INTO my_page_orders SELECT * FROM my_page_snapshot', { transaction });
    const next = (after: number) => nextRows(after, batchSize, transaction);
    for (let rows = await next(0); rows.length > 0; rows = await next(Number(rows[rows.length - 1].position))) {
      await replay(sequelize, transaction, 'my_page_orders', rows, projections);
      replayed += rows.length;
    }
  });
  logger.info({ replayed }, 'my page rebuilt from its snapshot and stored events');
  return replayed;
}

function toEnvelope(row: StoredEventRow): EventEnvelope {
  return {
    eventId: row.eventId,
    eventType: row.eventType,
    aggregateType: '',
    aggregateId: row.aggregateId,
    sequence: row.sequence,
    occurredAt: row.occurredAt,
    correlationId: row.correlationId,
    causationId: row.causationId,
    contentType: row.contentType,
    payload: row.payload,
  };
}
