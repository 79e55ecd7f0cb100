/**
 * Runs `task` once at once and then every `everyMs`, one run at a time: a tick that comes while a
 * run is still going is skipped, so a slow run neither overlaps the next nor leaves a queue of
 * them behind. A failed run is handed to `onError` and the schedule goes on. Returns what stops
 * it, which waits for the run in progress.
 *
 * At once, not a period later: what fell due while no replica ran (orders past their payment
 * window, an inbox with no horizon yet, whose consumer would otherwise read it for every batch)
 * is done when the service starts.
 */
export function repeatEvery(everyMs: number, task: () => Promise<unknown>, onError: (error: Error) => void): () => Promise<void> {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= Promise.resolve()
      .then(task)
      .then(
        () => undefined,
        (error: Error) => onError(error),
      )
      .finally(() => (running = undefined));
  };
  run();
  const timer = setInterval(run, everyMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
