import DataLoader from 'dataloader';
import type { Transaction } from 'sequelize';
import type { Metrics } from '../metrics';
import { runOutsideContext } from '../request-context';

/**
 * Where a repository reads: in a transaction, on its connection; outside any, on the pool, where
 * concurrent point reads share queries (ReadCoalescer), counted in `metrics`.
 */
export type RepositoryScope = { transaction: Transaction } | { metrics?: Metrics };

/** The transaction a repository runs in, if any. */
export function transactionOf(scope: RepositoryScope): Transaction | undefined {
  return 'transaction' in scope ? scope.transaction : undefined;
}

/** The most reads one query carries unless told otherwise: a few pages of rows, well under any statement limit. */
const DEFAULT_MAX_BATCH = 64;

/**
 * Coalesces concurrent point reads of one kind into one query, with DataLoader. The keys asked
 * for while the event loop works through a burst of requests are read together, with one
 * `WHERE key IN (…)` round trip, once that burst has been handled. At rest every read is a batch
 * of its own and waits for nothing; under load one round trip carries many reads, which is where
 * a point read's cost goes (the driver's and the database's work per statement, not per row).
 *
 * DataLoader's cache is off: a key only ever joins a batch that has not been sent yet, never one
 * already on its way, and no answer is kept, so a read is always answered by a query that began
 * after it was asked for: a client that has seen its write committed reads it back.
 */
export class ReadCoalescer<Key, Value> {
  private readonly loader: DataLoader<Key, Value | undefined>;

  /**
   * @param name what is read, as the metrics' `reader` label
   * @param readMany reads distinct keys, at most `maxBatch` (64); a key missing from its answer was not found
   */
  constructor(name: string, readMany: (keys: Key[]) => Promise<ReadonlyMap<Key, Value>>, options: { maxBatch?: number; metrics?: Metrics } = {}) {
    const countQuery = options.metrics?.counter('funshop_coalesced_read_queries_total', 'Queries that answered point reads, by reader', ['reader']);
    const countReads = options.metrics?.counter('funshop_coalesced_reads_total', 'Point reads answered (reads per query shows the coalescing), by reader', [
      'reader',
    ]);
    const labels = { reader: name };
    this.loader = new DataLoader(
      async (keys) => {
        countQuery?.(labels);
        countReads?.(labels, keys.length);
        // Without a cache DataLoader hands over a key as often as it was asked for; read it once.
        const values = await readMany([...new Set(keys)]);
        return keys.map((key) => values.get(key));
      },
      {
        cache: false,
        maxBatchSize: options.maxBatch ?? DEFAULT_MAX_BATCH,
        // setImmediate, not DataLoader's default (the end of this microtask queue): it runs once the
        // event loop has handled what it read from the sockets this turn, so every request that
        // arrived with this one has asked by then. Outside any request's context, because the
        // query serves all of them (DataLoader would run it in the first caller's).
        batchScheduleFn: (dispatch) => runOutsideContext(() => setImmediate(dispatch)),
      },
    );
  }

  read(key: Key): Promise<Value | undefined> {
    return this.loader.load(key);
  }
}

/** Reads by key, found values only; the keys missing from the map were not found. */
export interface PointReads<Key, Value> {
  one(key: Key): Promise<Value | undefined>;
  many(keys: readonly Key[]): Promise<Map<Key, Value>>;
}

/**
 * A repository's reads by key. In a transaction each call is one query on its connection, where
 * a coalescer would have nothing to share; outside any they go through a ReadCoalescer.
 */
export function pointReads<Key, Value>(
  name: string,
  scope: RepositoryScope,
  readMany: (keys: Key[]) => Promise<ReadonlyMap<Key, Value>>,
): PointReads<Key, Value> {
  if ('transaction' in scope) {
    return {
      one: async (key) => (await readMany([key])).get(key),
      many: async (keys) => new Map(keys.length === 0 ? [] : await readMany([...new Set(keys)])),
    };
  }
  const coalescer = new ReadCoalescer(name, readMany, { metrics: scope.metrics });
  return {
    one: (key) => coalescer.read(key),
    many: async (keys) => {
      const unique = [...new Set(keys)];
      const values = await Promise.all(unique.map((key) => coalescer.read(key)));
      return new Map(unique.flatMap((key, index) => (values[index] === undefined ? [] : [[key, values[index]] as [Key, Value]])));
    },
  };
}
