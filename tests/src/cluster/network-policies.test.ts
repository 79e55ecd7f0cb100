import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NAMESPACE, json, kubectl, report } from './cluster';

/**
 * The shop's NetworkPolicies are applied and accepted by the API server. Enforcing them needs a
 * CNI that enforces policy; the local cluster's bridge plugin does not, and kube-network-policies
 * cannot run on this machine's kernel (see docs/kubernetes.md: no nftables `queue` expression).
 */
test('network policies: every policy of the overlay is applied and accepted', async () => {
  const built = await kubectl('kustomize', 'k8s/overlays/local');
  const expected = [...built.matchAll(/^kind: NetworkPolicy\nmetadata:\n(?: {2}.*\n)*? {2}name: (\S+)/gm)].map((m) => m[1]).sort();
  const applied = (await json('-n', NAMESPACE, 'get', 'networkpolicies')).items.map((p: any) => p.metadata.name).sort();
  assert.ok(expected.includes('default-deny') && expected.length >= 8, `the overlay's policies: ${expected}`);
  assert.equal(applied, expected);
  report('network policies', { applied: applied.length, names: applied.join(',') });
});

test.run();
