import { Op, type WhereOptions } from 'sequelize';
import type { NewestFirstCursor } from '../paging';

/**
 * The rows after a newest-first keyset cursor: older than its time, or as old with a smaller id
 * (the id breaks ties, so no row is skipped or repeated between pages).
 */
export function olderThan(after: NewestFirstCursor | undefined, timeField: string, idField: string): WhereOptions {
  if (!after) return {};
  return { [Op.or]: [{ [timeField]: { [Op.lt]: after.at } }, { [timeField]: after.at, [idField]: { [Op.lt]: after.id } }] };
}
