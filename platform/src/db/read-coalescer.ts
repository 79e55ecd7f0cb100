import type { Metrics } from '../metrics';
import { runOutsideContext } from '../request-context';

interface Waiter<Value> {
  resolve(value: Value | undefined): void;
  reject(error: unknown): void;
}

/**
 * Coalesces concurrent point reads of one kind into one query (the DataLoader pattern). The keys
 * asked for while the event loop works through a burst of requests are read together, with one
 * `WHERE key IN (…)` round trip, once that burst has been handled. At rest every read is a batch
 * of its own and waits for nothing; under load one round trip carries many reads, which is where
 * a point read's cost goes (the driver's and the database's work per statement, not per row).
 *
 * A key only ever joins a batch that has not been sent yet, never one already on its way, so a
 * read is always answered by a query that began after it was asked for: a client that has seen
 * its write committed reads it back.
 */
export class ReadCoalescer<Key, Value> {
  private pending = new Map<Key, Waiter<Value>[]>();
  private scheduled = false;
  private readonly countQuery?: (labels?: Record<string, string>, by?: number) => void;
  private readonly countReads?: (labels?: Record<string, string>, by?: number) => void;

  /**
   * @param name what is read, as the metrics' `reader` label
   * @param readMany reads up to `maxBatch` distinct keys; a key missing from its answer was not found
   */
  constructor(
    private readonly name: string,
    private readonly readMany: (keys: Key[]) => Promise<ReadonlyMap<Key, Value>>,
    private readonly options: { maxBatch: number; metrics?: Metrics },
  ) {
    this.countQuery = options.metrics?.counter('funshop_coalesced_read_queries_total', 'Queries that answered point reads, by reader');
    this.countReads = options.metrics?.counter('funshop_coalesced_reads_total', 'Point reads answered (reads per query shows the coalescing), by reader');
  }

  read(key: Key): Promise<Value | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate runs once the event loop has handled what it read from the sockets this
        // turn: every request that arrived with this one has asked by then. Outside any request's
        // context, because the query serves all of them.
        runOutsideContext(() => setImmediate(() => this.flush()));
      }
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    const keys = [...batch.keys()];
    for (let start = 0; start < keys.length; start += this.options.maxBatch) {
      const chunk = keys.slice(start, start + this.options.maxBatch);
      this.countQuery?.({ reader: this.name });
      this.countReads?.({ reader: this.name }, chunk.reduce((reads, key) => reads + batch.get(key)!.length, 0));
      this.readMany(chunk).then(
        (values) => {
          for (const key of chunk) for (const waiter of batch.get(key)!) waiter.resolve(values.get(key));
        },
        (error: unknown) => {
          for (const key of chunk) for (const waiter of batch.get(key)!) waiter.reject(error);
        },
      );
    }
  }
}
