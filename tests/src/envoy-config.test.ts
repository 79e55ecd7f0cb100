import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TEST } from '@funshop/tools/layout';
import { renderEnvoyConfig } from '@funshop/tools/supervisor';
import { REPO_ROOT, run } from './shop';

test('envoy --mode validate accepts the committed config', async () => {
  const { code, stdout, stderr } = await run('envoy', ['--mode', 'validate', '-c', 'envoy/envoy.yaml', '--disable-hot-restart']);
  assert.is(code, 0, stdout + stderr);
  assert.match(stdout + stderr, /configuration 'envoy\/envoy\.yaml' OK/);
});

test('envoy --mode validate accepts the config rendered for the test shop', async () => {
  const rendered = join(TEST.runDir, 'envoy-validate.yaml');
  writeFileSync(rendered, renderEnvoyConfig(TEST));
  const { code, stdout, stderr } = await run('envoy', ['--mode', 'validate', '-c', rendered, '--disable-hot-restart']);
  assert.is(code, 0, stdout + stderr);
});

test('every listener and the admin interface bind to 127.0.0.1 only', () => {
  const config = readFileSync(join(REPO_ROOT, 'envoy/envoy.yaml'), 'utf8');
  const addresses = [...config.matchAll(/\baddress: ([^,\s{}]+)/g)].map((match) => match[1]);
  assert.ok(addresses.length >= 3);
  for (const address of addresses) assert.is(address, '127.0.0.1');
});

test.run();
