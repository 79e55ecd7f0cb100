import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DASHBOARD_DIR, dashboardText, dashboards } from '@funshop/tools/grafana';
import { OBSERVABILITY } from '@funshop/tools/layout';
import { REPO_ROOT, rest, servedSeries } from './shop';

// grafana/dashboards/: generated from tools/src/grafana.ts, and every query in them must read
// series that exist and be PromQL that a real Prometheus accepts.

interface Dashboard {
  uid: string;
  title: string;
  templating: { list: { name: string; type: string; query: unknown }[] };
  panels: { type: string; title: string; targets?: { expr: string }[] }[];
}

const committed = () =>
  Object.fromEntries(readdirSync(DASHBOARD_DIR).map((file) => [file, JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as Dashboard]));
const queries = (board: Dashboard) => board.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));

test('the committed dashboards are the generated ones (npm run grafana:generate)', () => {
  const generated = dashboards();
  assert.equal(readdirSync(DASHBOARD_DIR).sort(), Object.keys(generated).sort());
  for (const [file, board] of Object.entries(generated)) assert.is(readFileSync(join(DASHBOARD_DIR, file), 'utf8'), dashboardText(board), file);
});

test('each dashboard has its own uid, a Prometheus data source to choose, and a query in every panel', () => {
  const boards = Object.values(committed());
  assert.equal(
    boards.map((board) => board.uid),
    ['funshop-events', 'funshop-purchases', 'funshop-red'],
  );
  for (const board of boards) {
    assert.ok(
      board.templating.list.some((variable) => variable.type === 'datasource' && variable.query === 'prometheus'),
      board.title,
    );
    for (const panel of board.panels.filter((each) => each.type !== 'row')) assert.ok((panel.targets ?? []).length > 0, `${board.title}: ${panel.title}`);
  }
});

test('every series a dashboard reads is one the services or Envoy serve, or a recording rule makes', async () => {
  // Envoy makes a cluster's response-class counters at its first response: make one.
  assert.is((await rest('GET', '/products/no-such-product')).status, 404);
  const served = await servedSeries();
  const recorded = new Set(readFileSync(join(REPO_ROOT, 'prometheus/rules.yml'), 'utf8').match(/(?<=record: )\S+/g));
  let checked = 0;
  for (const board of Object.values(committed())) {
    for (const { panel, expr } of queries(board)) {
      // Series names only: not label matchers, label values (event types are "funshop.…") or grouping labels.
      const names = expr.replace(/\{[^}]*\}/g, '').replace(/\b(?:by|without)\s*\([^)]*\)/g, '');
      for (const name of names.match(/\b(?:funshop|envoy|process|nodejs)[a-z0-9_:]*/g) ?? []) {
        assert.ok(name.includes(':') ? recorded.has(name) : served.has(name), `${board.title} / ${panel}: ${name} exists`);
        checked++;
      }
    }
  }
  assert.ok(checked >= 30, `${checked} series checked`);
});

test('every query is PromQL that Prometheus accepts (the running one, with the dashboard variables filled in)', async () => {
  for (const board of Object.values(committed())) {
    for (const { panel, expr } of queries(board)) {
      const query = expr.replaceAll('$__rate_interval', '1m').replaceAll('$job', '.+');
      const response = await fetch(`${OBSERVABILITY.prometheusUi}/api/v1/query?query=${encodeURIComponent(query)}`);
      const body = (await response.json()) as { status: string; error?: string };
      assert.is(body.status, 'success', `${board.title} / ${panel}: ${body.error}\n${query}`);
    }
  }
});

test.run();
