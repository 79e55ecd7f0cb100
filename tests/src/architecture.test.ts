import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT, run } from './shop';

const DEPCRUISE = join(REPO_ROOT, 'node_modules/.bin/depcruise');
const FIXTURE = join(REPO_ROOT, 'tests/fixtures/architecture');
/** Plain text: the test runner's environment would otherwise colour depcruise's output. */
const PLAIN = { FORCE_COLOR: '0' };

test('every service keeps the hexagon, and no service, platform, tool or the storefront crosses a boundary (.dependency-cruiser.cjs)', async () => {
  const { code, stdout, stderr } = await run(
    DEPCRUISE,
    ['services', 'platform/src', 'tools/src', 'storefront/server', 'storefront/web/src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
    REPO_ROOT,
    PLAIN,
  );
  assert.is(code, 0, `${stdout}${stderr}`);
  assert.match(stdout, /no dependency violations found/);
});

test('the rules bite: a tree that breaks each of them once is refused, rule by rule', async () => {
  const { code, stdout } = await run(
    DEPCRUISE,
    ['services', 'platform', 'storefront', '--config', './.dependency-cruiser.cjs', '--output-type', 'err'],
    FIXTURE,
    PLAIN,
  );
  assert.is.not(code, 0);
  const broken = [...stdout.matchAll(/error ([a-z-]+):/g)].map((match) => match[1]).sort();
  assert.equal(broken, [
    'app-knows-no-adapter',
    'domain-is-pure',
    'generated-code-through-proto',
    'inbound-adapters-call-use-cases-only',
    'no-database-inside',
    'platform-serves-everyone',
    'services-are-independent',
    'storefront-speaks-only-the-public-api',
  ]);
});

test.run();
