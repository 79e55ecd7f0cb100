import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TEST } from '@funshop/tools/layout';
import { EDGE, REPO_ROOT, as, run, uniqueCustomer } from './shop';

/** Installed by scripts/infra.sh in a virtual environment of its own; scripts/lib.sh names it. */
const SCHEMATHESIS = process.env.SCHEMATHESIS ?? 'schemathesis';
const WORK_DIR = join(TEST.runDir, 'fuzz');
const HAR = join(WORK_DIR, 'requests.har');
/** The run's bounds: a fixed seed, a set number of examples per operation, and a time limit. */
const SEED = '20261202';
const EXAMPLES_PER_OPERATION = '50';
const TIME_LIMIT_MS = 300_000;

interface HarEntry {
  request: { method: string; url: string };
  response: { status: number };
}

/** The documented operation a request was made to, e.g. "POST /orders/{id}:pay". */
function operationOf(entry: HarEntry): string {
  const path = new URL(entry.request.url).pathname.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '{id}');
  return `${entry.request.method} ${path}`;
}

test('schemathesis against the live Envoy and its own OpenAPI document: every check passes, and a purchase is placed, read, paid and cancelled', async () => {
  rmSync(WORK_DIR, { recursive: true, force: true });
  mkdirSync(WORK_DIR, { recursive: true });
  const customer = uniqueCustomer();
  const result = await run(
    SCHEMATHESIS,
    [
      '--config-file',
      join(REPO_ROOT, 'tests/fuzz/schemathesis.toml'),
      'run',
      `${EDGE}/openapi.json`,
      '--header',
      `Authorization: ${as(customer).authorization}`,
      // Every check schemathesis has, the response conformance ones and the two that hold the
      // document and the services to each other (schema-valid data accepted, invalid refused).
      '--checks',
      'all',
      '--seed',
      SEED,
      '--max-examples',
      EXAMPLES_PER_OPERATION,
      '--workers',
      '1',
      '--generation-database',
      'none',
      '--request-timeout',
      '10',
      '--no-color',
      '--report',
      'har',
      '--report-har-path',
      HAR,
    ],
    WORK_DIR,
    {},
    TIME_LIMIT_MS,
  );
  assert.not.ok(result.timedOut, `the fuzzing run outlasted its ${TIME_LIMIT_MS / 1000} s limit`);
  const summary = result.stdout.slice(result.stdout.lastIndexOf('SUMMARY'));
  assert.is(result.code, 0, `schemathesis found problems:\n${result.stdout.slice(-6_000)}\n${result.stderr}`);
  assert.match(summary, /Stateful/, 'the stateful phase ran');

  // Not only refusals: the run followed the purchase path, each step answered 2xx at least once.
  const entries: HarEntry[] = JSON.parse(readFileSync(HAR, 'utf8')).log.entries;
  const succeeded = new Set(entries.filter((entry) => entry.response.status < 300).map(operationOf));
  for (const step of ['POST /orders', 'GET /orders/{id}', 'POST /orders/{id}:pay', 'POST /orders/{id}:cancel', `GET /mypages/${customer}/orders/{id}`]) {
    assert.ok(succeeded.has(step), `no successful ${step} among ${entries.length} requests`);
  }
  assert.ok(
    entries.every((entry) => entry.response.status < 500),
    'no 5xx',
  );
});

test.run();
