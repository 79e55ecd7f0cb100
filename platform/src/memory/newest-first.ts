import type { NewestFirstCursor } from '../paging';

/**
 * Up to `limit` items, newest first (ties by id, descending), after the cursor: the order and the
 * keyset page that `db/keyset.ts` asks a database for, for the in-memory adapters.
 */
export function newestFirstPage<T>(items: Iterable<T>, keyOf: (item: T) => NewestFirstCursor, limit: number, after?: NewestFirstCursor): T[] {
  return [...items]
    .filter((item) => !after || compare(keyOf(item), after) < 0)
    .sort((a, b) => compare(keyOf(b), keyOf(a)))
    .slice(0, limit);
}

/** Negative when `a` is older than `b` (ids compared by code unit, as a binary collation does). */
function compare(a: NewestFirstCursor, b: NewestFirstCursor): number {
  return a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
