import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { DEVELOPMENT } from '@funshop/tools/layout';
import { REPO_ROOT, run, servedSeries } from './shop';

// prometheus/: the scrape config, recording rules and alerts, checked by promtool and against
// what the services really serve.

const RULES = join(REPO_ROOT, 'prometheus/rules.yml');

test('promtool accepts the config and its rules, and the rules’ unit tests pass (each alert fires when it should, and only then)', async () => {
  const config = await run('promtool', ['check', 'config', 'prometheus/prometheus.yml']);
  assert.is(config.code, 0, config.stdout + config.stderr);
  const tests = await run('promtool', ['test', 'rules', 'prometheus/rules.test.yml']);
  assert.is(tests.code, 0, tests.stdout + tests.stderr);
  assert.match(tests.stdout, /SUCCESS/);
  const alerts = (parse(readFileSync(RULES, 'utf8')) as { groups: { rules: { alert?: string }[] }[] }).groups
    .flatMap((group) => group.rules)
    .flatMap((rule) => (rule.alert ? [rule.alert] : []));
  const tested = readFileSync(join(REPO_ROOT, 'prometheus/rules.test.yml'), 'utf8');
  for (const alert of alerts) assert.ok(tested.includes(`alertname: ${alert}`), `${alert} has a unit test`);
});

test('it scrapes every service of `npm start` and Envoy where they serve their metrics', () => {
  const config = parse(readFileSync(join(REPO_ROOT, 'prometheus/prometheus.yml'), 'utf8')) as {
    scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
  };
  const targets = Object.fromEntries(config.scrape_configs.map((job) => [job.job_name, [job.metrics_path ?? '/metrics', job.static_configs[0].targets[0]]]));
  assert.equal(targets, {
    ...Object.fromEntries(DEVELOPMENT.services.map((service) => [service.name, ['/metrics', `127.0.0.1:${service.metricsPort}`]])),
    envoy: ['/stats/prometheus', `127.0.0.1:${DEVELOPMENT.envoyAdminPort}`],
  });
});

test('every funshop_* series the rules read is one the services serve', async () => {
  const served = await servedSeries();
  const named = new Set(readFileSync(RULES, 'utf8').match(/\bfunshop_[a-z_]+/g));
  assert.ok(named.size >= 6);
  for (const name of named) assert.ok(served.has(name), `${name} is served`);
});

test.run();
