import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repeatEvery } from '../src/periodic';

/** Resolves when `condition` holds, checked on every turn of the event loop; fails after `ms`. */
async function until(what: string, condition: () => boolean, ms = 5_000): Promise<void> {
  const giveUpAt = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > giveUpAt) assert.unreachable(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('a job runs once when it is scheduled, not a period later', async () => {
  let runs = 0;
  const stop = repeatEvery(
    3_600_000,
    async () => {
      runs += 1;
    },
    (error) => assert.unreachable(error.message),
  );
  await until('the first run', () => runs === 1);
  await stop();
  assert.is(runs, 1);
});

test('runs never overlap nor queue up behind a slow one, a failed run does not end the schedule, and stopping waits for the run in progress', async () => {
  let active = 0;
  let mostAtOnce = 0;
  let runs = 0;
  const errors: string[] = [];
  let finishRun: (() => void) | undefined;
  const stop = repeatEvery(
    1,
    async () => {
      active += 1;
      mostAtOnce = Math.max(mostAtOnce, active);
      runs += 1;
      // The second run is held until the test lets it go, while the 1 ms timer keeps firing.
      if (runs === 2) await new Promise<void>((resolve) => (finishRun = resolve));
      active -= 1;
      if (runs === 1) throw new Error('first run failed');
    },
    (error) => errors.push(error.message),
  );
  await until('the second run to start', () => finishRun !== undefined);
  const stopped = stop();
  let done = false;
  void stopped.then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.not.ok(done, 'stop returned while a run was in progress');
  finishRun!();
  await stopped;
  assert.is(mostAtOnce, 1);
  assert.is(runs, 2, 'the ticks that came during the slow run were skipped, not queued');
  assert.equal(errors, ['first run failed']);
});

test.run();
