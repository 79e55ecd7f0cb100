import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT, run } from './shop';

const bin = (name: string) => join(REPO_ROOT, 'node_modules/.bin', name);
/** Plain text: the test runner's environment would otherwise colour the tools' output. */
const PLAIN = { FORCE_COLOR: '0' };

test('ESLint (typescript-eslint) finds nothing (eslint.config.mjs)', async () => {
  const { code, stdout, stderr } = await run(bin('eslint'), ['.', '--max-warnings', '0'], REPO_ROOT, PLAIN);
  assert.is(code, 0, `${stdout}${stderr}`);
});

test('every TypeScript and JavaScript file is as Prettier formats it (npm run format)', async () => {
  const { code, stdout, stderr } = await run(bin('prettier'), ['--list-different', '**/*.{ts,mjs,cjs}'], REPO_ROOT, PLAIN);
  assert.is(code, 0, `not formatted:\n${stdout}${stderr}`);
});

test.run();
