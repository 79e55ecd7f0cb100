import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TEST, instances } from '@funshop/tools/layout';
import { as, rest, uniqueCustomer } from './shop';

const payment = TEST.services.find((s) => s.name === 'payment')!;
const [, secondInstance] = instances(payment);
const ADMIN = `http://127.0.0.1:${TEST.envoyAdminPort}`;

async function ejectionsActive(): Promise<number> {
  const stats = await (await fetch(`${ADMIN}/stats?filter=^cluster\\.payment\\.outlier_detection\\.ejections_active$`)).text();
  return Number(/ejections_active: (\d+)/.exec(stats)?.[1] ?? 0);
}

const faultSwitch = (method: 'POST' | 'DELETE') => fetch(`http://127.0.0.1:${secondInstance.metricsPort}/fault`, { method });

test('one of two payment instances goes bad: Envoy ejects it, and clients keep succeeding', async () => {
  assert.ok(secondInstance, 'the test shop runs two payment instances');
  assert.is(await ejectionsActive(), 0);
  const headers = as(uniqueCustomer());
  assert.is((await faultSwitch('POST')).status, 204);
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await rest('GET', '/paymentLists', { headers })).status);
    assert.equal([...new Set(statuses)], [200], 'every call succeeded: retried on the healthy instance');
    const deadline = Date.now() + 5_000;
    while ((await ejectionsActive()) !== 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.is(await ejectionsActive(), 1, 'the failing instance was ejected');
    for (let i = 0; i < 10; i++) assert.is((await rest('GET', '/paymentLists', { headers })).status, 200);
  } finally {
    await faultSwitch('DELETE');
  }
});

test.run();
