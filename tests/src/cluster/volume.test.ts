import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { as, restAt, uniqueCustomer } from '../shop';
import { NAMESPACE, edge, eventually, json, kubectl, kubectlWith, pods, report } from './cluster';

const CARD = { number: '4242424242424242', expiryMonth: 12, expiryYear: 2099, cvc: '123' };
const READER = 'receipts-reader';

/** A third pod, not a payment pod, that mounts the same claim read-only. */
function readerPod(image: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: READER, namespace: NAMESPACE, labels: { 'app.kubernetes.io/name': READER } },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'reader',
          image,
          command: ['node', '-e', 'setInterval(() => {}, 1 << 30)'],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
          volumeMounts: [{ name: 'receipts', mountPath: '/receipts', readOnly: true }],
        },
      ],
      volumes: [{ name: 'receipts', persistentVolumeClaim: { claimName: 'payment-receipts', readOnly: true } }],
    },
  });
}

test('persistent volume: receipts written by two payment pods land on one ReadWriteMany volume, read from a third pod', async () => {
  const payers = (await pods('payment')).filter((p) => p.ready);
  assert.ok(payers.length >= 2, `two payment pods (the HPA's minimum); found ${payers.length}`);
  const claim = await json('-n', NAMESPACE, 'get', 'pvc', 'payment-receipts');
  assert.ok(claim.spec.accessModes.includes('ReadWriteMany'), 'the claim is ReadWriteMany');
  const { url } = await edge();
  const deployment = await json('-n', NAMESPACE, 'get', 'deployment', 'payment');
  await kubectl('-n', NAMESPACE, 'delete', 'pod', READER, '--ignore-not-found', '--wait=true');
  await kubectlWith(readerPod(deployment.spec.template.spec.containers[0].image), 'apply', '-f', '-');
  try {
    await kubectl('-n', NAMESPACE, 'wait', '--for=condition=Ready', `pod/${READER}`, '--timeout=120s');
    const issuers = new Map<string, string>();
    // Envoy balances the payments over both pods; pay until each has written at least one.
    for (let n = 0; n < 40 && new Set(issuers.values()).size < 2; n++) {
      const customer = uniqueCustomer();
      const placed = await restAt(url, 'POST', '/orders', { body: { items: [{ productId: 'desk-lamp', quantity: 1 }] }, headers: as(customer) });
      // The suites before this one take payment pods out of Envoy's rotation (an outlier ejection,
      // a database outage); wait until Envoy routes to payment again. A 503 never reached payment,
      // and payment charges an order at most once, so asking again is safe.
      const paid = await eventually(
        'Envoy to route to a payment pod',
        () => restAt(url, 'POST', `/orders/${placed.body.order.orderId}:pay`, { body: { card: CARD }, headers: as(customer) }),
        (response) => response.status !== 503,
        60_000,
        500,
      );
      assert.is(paid.status, 200, paid.text);
      const file = `/receipts/${paid.body.payment.paymentId}.approved.json`;
      const receipt = await eventually(
        'the receipt, read by the third pod',
        () =>
          kubectl('-n', NAMESPACE, 'exec', READER, '--', 'node', '-e', `process.stdout.write(require('fs').readFileSync('${file}','utf8'))`).catch(() => ''),
        (text) => text.length > 0,
        30_000,
        250,
      );
      issuers.set(paid.body.payment.paymentId, JSON.parse(receipt).issuedBy);
    }
    const writers = [...new Set(issuers.values())];
    assert.ok(writers.length >= 2, `two payment pods wrote to the shared volume: ${writers}`);
    for (const writer of writers)
      assert.ok(
        payers.some((p) => p.name === writer),
        `${writer} is a payment pod`,
      );
    report('persistent volume', {
      claim: `${claim.spec.volumeName} (${claim.spec.accessModes.join(',')})`,
      receipts: issuers.size,
      writers: writers.join(','),
    });
  } finally {
    await kubectl('-n', NAMESPACE, 'delete', 'pod', READER, '--ignore-not-found', '--wait=false');
  }
});

test.run();
