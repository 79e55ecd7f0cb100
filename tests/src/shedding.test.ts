import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TEST } from '@funshop/tools/layout';
import { renderEnvoyConfig, seedThresholds } from '@funshop/tools/supervisor';
import { TestEnvoy } from './shop';

/** A second Envoy in front of the test shop's services, with the seed's tight thresholds. */
const TIGHT = { ...TEST, envoyPort: 23080, envoyInternalPort: 23081, envoyAdminPort: 23901 };

test('with the seed’s thresholds, a burst is shed at once: fast 503s with x-envoy-overloaded, the rest served', async () => {
  const config = join(TEST.runDir, 'envoy-tight.yaml');
  writeFileSync(config, seedThresholds(renderEnvoyConfig(TIGHT)));
  const envoy = new TestEnvoy(config, 7, TIGHT.envoyAdminPort);
  try {
    await envoy.untilHealthy('order', TIGHT.services.find((s) => s.name === 'order')!.grpcPort);
    const results = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const started = performance.now();
        const response = await fetch(`http://127.0.0.1:${TIGHT.envoyPort}/products/desk-lamp`);
        const body = await response.text();
        return { status: response.status, overloaded: response.headers.get('x-envoy-overloaded'), ms: performance.now() - started, body };
      }),
    );
    const shed = results.filter((r) => r.status === 503);
    assert.ok(shed.length > 0, 'nothing was shed');
    assert.ok(
      results.some((r) => r.status === 200),
      'nothing was served',
    );
    assert.is(results.filter((r) => ![200, 503].includes(r.status)).length, 0);
    for (const r of shed) {
      assert.is(r.overloaded, 'true');
      assert.is(JSON.parse(r.body).code, 14);
    }
    const sorted = shed.map((r) => r.ms).sort((a, b) => a - b);
    const slowest = results
      .map((r) => r.ms)
      .sort((a, b) => a - b)
      .at(-1)!;
    assert.ok(sorted[Math.floor(sorted.length / 2)] < slowest, 'shed requests answered faster than the slowest served one');
    assert.ok(sorted[Math.floor(sorted.length / 2)] < 250, `median shed answer took ${sorted[Math.floor(sorted.length / 2)]} ms`);
  } finally {
    envoy.stop();
  }
});

test.run();
