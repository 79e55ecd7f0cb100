import { Op, type Order, type WhereOptions } from 'sequelize';
import type { NewestFirstCursor } from '../paging';

/**
 * The findAll options of one newest-first page: rows matching `filter` after the cursor (older
 * than its time, or as old with a smaller id), sorted by the same two columns, so the cursor's
 * predicate and the sort can never disagree and no row is skipped or repeated between pages.
 */
export function newestFirst(
  filter: WhereOptions,
  after: NewestFirstCursor | undefined,
  timeField: string,
  idField: string,
  limit: number,
): { where: WhereOptions; order: Order; limit: number } {
  const olderThanCursor = after ? { [Op.or]: [{ [timeField]: { [Op.lt]: after.at } }, { [timeField]: after.at, [idField]: { [Op.lt]: after.id } }] } : {};
  return {
    where: { ...filter, ...olderThanCursor },
    order: [
      [timeField, 'DESC'],
      [idField, 'DESC'],
    ],
    limit,
  };
}
