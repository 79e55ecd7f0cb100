import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT, run } from './shop';

const buf = join(REPO_ROOT, 'node_modules/.bin/buf');

test('buf lint (STANDARD) is clean', async () => {
  const { code, stdout, stderr } = await run(buf, ['lint']);
  assert.is(code, 0, stdout + stderr);
});

test('buf breaking: the working tree keeps compatibility with the main branch', async () => {
  const { code, stdout, stderr } = await run('bash', ['scripts/proto-breaking.sh']);
  assert.is(code, 0, stdout + stderr);
});

test('buf breaking catches a breaking change (a removed field)', async () => {
  const copy = mkdtempSync(join(tmpdir(), 'funshop-breaking-'));
  try {
    for (const entry of ['buf.yaml', 'proto', 'third_party']) cpSync(join(REPO_ROOT, entry), join(copy, entry), { recursive: true });
    const file = join(copy, 'proto/funshop/order/v1/order.proto');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  int64 total_krw = 4;\n  OrderStatus status = 5;', '  OrderStatus status = 5;'));
    const { code, stdout } = await run(buf, ['breaking', copy, '--against', REPO_ROOT]);
    assert.is.not(code, 0);
    assert.match(stdout, /total_krw/);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test('every service the contracts declare is in the descriptor set Envoy and reflection read', async () => {
  const descriptor = readFileSync(join(REPO_ROOT, 'proto/gen/funshop.binpb')).toString('latin1');
  for (const service of ['OrderService', 'CatalogService', 'CartService', 'PaymentService', 'MyPageService']) {
    assert.ok(descriptor.includes(service), service);
  }
});

test.run();
