import { InvalidArgument } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The page size a list request asked for: 0 means the default, anything outside 0..100 is refused. */
export function pageSizeOf(requested: number): number {
  if (requested === 0) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(requested) || requested < 1 || requested > MAX_PAGE_SIZE) {
    throw InvalidArgument.of([{ field: 'page_size', description: `must be 0..${MAX_PAGE_SIZE}, got ${requested}` }]);
  }
  return requested;
}

/**
 * Page tokens are opaque to clients: a keyset cursor (the sort key of the last item returned),
 * base64url-encoded. A token that does not decode is INVALID_ARGUMENT, not a silent first page.
 */
export function encodePageToken(cursor: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodePageToken(token: string, arity: number): (string | number)[] | undefined {
  if (token === '') return undefined;
  try {
    const cursor: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(cursor) && cursor.length === arity && cursor.every((part) => ['string', 'number'].includes(typeof part))) {
      return cursor;
    }
  } catch {
    // fall through to the error below
  }
  throw InvalidArgument.of([{ field: 'page_token', description: 'is not a token this service issued' }]);
}

export interface Page<T> {
  items: T[];
  /** Empty on the last page. */
  nextPageToken: string;
}

/**
 * Fetches one page by asking for one item more than the page holds: if it comes back, there is a
 * next page, and its token is the cursor of the page's last item.
 */
export async function fetchPage<T>(pageSize: number, fetch: (limit: number) => Promise<T[]>, cursorOf: (item: T) => (string | number)[]): Promise<Page<T>> {
  const fetched = await fetch(pageSize + 1);
  const items = fetched.slice(0, pageSize);
  const nextPageToken = fetched.length > pageSize ? encodePageToken(cursorOf(items[items.length - 1])) : '';
  return { items, nextPageToken };
}

/** The keyset of a list sorted newest first: (time, id) of the page's last item. */
/** Where a newest-first page ended: the time and id of its last item. */
export interface NewestFirstCursor {
  at: Date;
  id: string;
}

export function decodeNewestFirstCursor(token: string): NewestFirstCursor | undefined {
  const cursor = decodePageToken(token, 2);
  if (!cursor) return undefined;
  if (typeof cursor[0] !== 'number' || typeof cursor[1] !== 'string') {
    throw InvalidArgument.of([{ field: 'page_token', description: 'is not a token this service issued' }]);
  }
  return { at: new Date(cursor[0]), id: cursor[1] };
}

export function newestFirstCursor(at: Date, id: string): (string | number)[] {
  return [at.getTime(), id];
}
