/**
 * Runs `deleteChunk` (which deletes at most `chunk` rows and says how many) until a chunk comes
 * back short, at most `maxChunks` times, so one run of a sweep is bounded too and the rest waits
 * for the next run. Returns the rows deleted.
 */
export async function deleteInChunks(deleteChunk: () => Promise<number>, chunk: number, maxChunks: number): Promise<number> {
  let deleted = 0;
  for (let chunks = 0; chunks < maxChunks; chunks++) {
    const count = await deleteChunk();
    deleted += count;
    if (count < chunk) break;
  }
  return deleted;
}
