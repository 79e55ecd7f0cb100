import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgument } from '../src/errors';
import { DEFAULT_PAGE_SIZE, decodePageToken, encodePageToken, fetchPage, pageSizeOf } from '../src/paging';

test('page size: 0 means the default, 1..100 pass, the rest is INVALID_ARGUMENT', () => {
  assert.is(pageSizeOf(0), DEFAULT_PAGE_SIZE);
  assert.is(pageSizeOf(1), 1);
  assert.is(pageSizeOf(100), 100);
  for (const bad of [-1, 101, 2.5])
    assert.throws(
      () => pageSizeOf(bad),
      (e: unknown) => e instanceof InvalidArgument,
    );
});

test('a page token round-trips, and a forged one is refused', () => {
  assert.equal(decodePageToken(encodePageToken([1700000000000, 'abc']), 2), [1700000000000, 'abc']);
  assert.is(decodePageToken('', 2), undefined);
  for (const forged of ['not-base64!', encodePageToken(['only-one']), Buffer.from('{"a":1}').toString('base64url')]) {
    assert.throws(
      () => decodePageToken(forged, 2),
      (e: unknown) => e instanceof InvalidArgument,
    );
  }
});

test('fetchPage asks for one more item to know whether a next page exists', async () => {
  const items = [1, 2, 3, 4, 5];
  const limits: number[] = [];
  const fetch = async (limit: number) => (limits.push(limit), items.slice(0, limit));
  const full = await fetchPage(2, fetch, (n) => [n]);
  assert.equal(full.items, [1, 2]);
  assert.equal(decodePageToken(full.nextPageToken, 1), [2]);
  const last = await fetchPage(5, fetch, (n) => [n]);
  assert.equal(last.items, items);
  assert.is(last.nextPageToken, '');
  assert.equal(limits, [3, 6]);
});

test.run();
