import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { as, restAt, uniqueCustomer } from '../shop';
import { NAMESPACE, atRest, edge, eventually, kubectl, nodeIn, pod, pods, report } from './cluster';

test('self-healing: a stuck container fails its liveness probe, the kubelet restarts it, and it serves again', async () => {
  const [victim] = (await pods('cart')).filter((p) => p.ready && !p.deleting);
  assert.ok(victim, 'a ready cart pod');
  // The test-only route blocks the process's event loop for good: nothing answers any more.
  await nodeIn(victim.name, 'cart', "fetch('http://127.0.0.1:9465/fault/stall',{method:'POST'}).then((r)=>process.exit(r.status===202?0:1))");
  const stalledAt = Date.now();
  const restarted = await eventually(
    'the kubelet to restart the container',
    () => pod(victim.name),
    (p) => (p?.restarts ?? 0) > victim.restarts,
    180_000,
  );
  const restartSeconds = (Date.now() - stalledAt) / 1000;
  await eventually(
    'the restarted container to be ready',
    () => pod(victim.name),
    (p) => Boolean(p?.ready),
    120_000,
  );
  report('liveness', {
    pod: victim.name,
    restarts: `${victim.restarts} → ${restarted!.restarts}`,
    restartedAfterSeconds: restartSeconds.toFixed(0),
    readyAfterSeconds: ((Date.now() - stalledAt) / 1000).toFixed(0),
  });
});

test('a database outage makes its services unready, never restarted; ready again when it returns, no order lost', async () => {
  const { url } = await edge();
  const customer = uniqueCustomer();
  const placed = await restAt(url, 'POST', '/orders', { body: { items: [{ productId: 'desk-lamp', quantity: 1 }] }, headers: as(customer) });
  assert.is(placed.status, 200, placed.text);
  const onMariaDb = ['order', 'cart', 'payment'];
  // The pods as they are at rest: a pod an HPA is still scaling away after an earlier test's load
  // would be counted and then never come back.
  await atRest();
  const current = async () => (await Promise.all(onMariaDb.map(pods))).flat().filter((p) => !p.deleting);
  const before = new Map((await current()).map((p) => [p.name, p.restarts]));
  const figures: Record<string, unknown> = {};
  await kubectl('-n', NAMESPACE, 'scale', 'statefulset/mariadb', '--replicas=0');
  try {
    const stoppedAt = Date.now();
    await eventually(
      'every pod of order, cart and payment to be unready',
      async () =>
        (await Promise.all(onMariaDb.map(pods)))
          .flat()
          .filter((p) => p.ready)
          .map((p) => p.name),
      (ready) => ready.length === 0,
      120_000,
    );
    figures.unreadyAfterSeconds = ((Date.now() - stoppedAt) / 1000).toFixed(0);
    assert.ok(
      (await pods('customer')).every((p) => p.ready),
      'the my page (on PostgreSQL) stays ready',
    );
  } finally {
    await kubectl('-n', NAMESPACE, 'scale', 'statefulset/mariadb', '--replicas=1');
  }
  const returnedAt = Date.now();
  await eventually('every pod ready again', current, (all) => all.length >= before.size && all.every((p) => p.ready), 240_000);
  figures.readyAgainAfterSeconds = ((Date.now() - returnedAt) / 1000).toFixed(0);
  const after = await current();
  // Never restarted: a pod from before keeps its count, and a pod its HPA added meanwhile (the
  // backlog the services work off when the database returns can scale one up) has none.
  for (const p of after) assert.is(p.restarts, before.get(p.name) ?? 0, `${p.name} was not restarted`);
  assert.equal(
    [...before.keys()].filter((name) => !after.some((p) => p.name === name)),
    [],
    'no pod was replaced',
  );
  figures.podsAdded = after.filter((p) => !before.has(p.name)).length;
  const order = await eventually(
    'the order read back',
    () => restAt(url, 'GET', `/orders/${placed.body.order.orderId}`, { headers: as(customer) }),
    (r) => r.status === 200,
    60_000,
  );
  assert.is(order.body.order.totalKrw, placed.body.order.totalKrw, 'the order placed before the outage is intact');
  report('database outage', { ...figures, restarts: after.reduce((sum, p) => sum + p.restarts - (before.get(p.name) ?? 0), 0) });
});

test.run();
