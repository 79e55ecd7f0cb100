import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { dropShopDatabases } from './databases';
import { REPO_ROOT, TEST, brokerUrl } from './layout';
import { Supervisor } from './supervisor';

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

/** Use cases on in-memory adapters and domain rules: nothing running, a few seconds (`npm run test:unit`). */
const UNIT_SUITES = ['order', 'cart', 'payment', 'customer'].map((service) => `services/${service}/dist/test/unit`);
/** Suites that need nothing running but the databases (they include the unit suites below them). */
const STANDALONE_SUITES = ['platform/dist/test', ...['order', 'cart', 'payment', 'customer'].map((service) => `services/${service}/dist/test`)];
/** Suites that talk to the running test shop through Envoy, grpcurl, buf and envoy. */
const SHOP_SUITES = ['tests/dist'];
/** The seed's operations on a live Kubernetes cluster, with the shop deployed (`npm run cluster -- deploy`). */
const CLUSTER_SUITE = 'tests/dist/cluster';

/**
 * `npm test` after the build: unit and integration suites, then the end-to-end suites against a
 * test shop on its own ports and freshly created databases, then one closing line of totals.
 * `--cluster` runs the cluster suite instead (`npm run test:cluster`), `--all` both (`.ci/run`).
 */
async function main(): Promise<void> {
  const totals: Totals = { passed: 0, failed: 0, skipped: 0 };
  const lanes = process.argv.includes('--unit')
    ? ['unit']
    : process.argv.includes('--all')
      ? ['shop', 'cluster']
      : process.argv.includes('--cluster')
        ? ['cluster']
        : ['shop'];
  if (lanes.includes('unit')) for (const suite of UNIT_SUITES) add(totals, await runUvu(suite));
  if (lanes.includes('shop')) await shopLane(totals);
  if (lanes.includes('cluster')) await clusterLane(totals);
  console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
  process.exit(totals.failed === 0 ? 0 : 1);
}

async function shopLane(totals: Totals): Promise<void> {
  // Every run starts from empty test databases, so migrations and seeds run from scratch too.
  await dropShopDatabases('funshop_test_');
  for (const suite of STANDALONE_SUITES) add(totals, await runUvu(suite));

  const shop = new Supervisor(TEST, { echoLogs: false, serviceEnv: { LOG_LEVEL: 'warn', FUNSHOP_TEST_FAULT_SWITCH: 'true' } });
  console.log(`\n[test] starting the test shop (Envoy on :${TEST.envoyPort}; logs in ${TEST.runDir})`);
  try {
    await shop.start();
    for (const suite of SHOP_SUITES) add(totals, await runUvu(suite, ['--ignore', 'cluster']));
  } catch (error) {
    console.error(`[test] ${(error as Error).message}`);
    totals.failed += 1;
  } finally {
    await shop.stop();
  }
}

/**
 * A cluster (the current kubeconfig's, or a local one brought up here), the shop deployed on it,
 * then the suite. A local cluster and a dockerd this lane started are stopped again afterwards
 * (FUNSHOP_KEEP_CLUSTER=1 keeps them for a look around).
 */
async function clusterLane(totals: Totals): Promise<void> {
  const startedHere = !(await script('scripts/cluster.sh', 'running'));
  console.log('\n[test] deploying the shop on a cluster (npm run cluster -- deploy)');
  if (await script('scripts/cluster.sh', 'deploy')) add(totals, await runUvu(CLUSTER_SUITE));
  else {
    console.error('[test] the deploy failed; the cluster suite did not run');
    totals.failed += 1;
  }
  if (startedHere && process.env.FUNSHOP_KEEP_CLUSTER !== '1') {
    console.log('\n[test] stopping the local cluster and dockerd this run started (FUNSHOP_KEEP_CLUSTER=1 keeps them)');
    // `down` checks that nothing it should undo is left on the machine: a leftover fails the run.
    if (!(await script('scripts/cluster.sh', 'down'))) totals.failed += 1;
    await script('scripts/docker.sh', 'down');
  }
}

/** Runs one of the project's scripts with its output shown; resolves to whether it succeeded. */
function script(path: string, ...args: string[]): Promise<boolean> {
  return new Promise((resolve) => spawn('bash', [path, ...args], { cwd: REPO_ROOT, stdio: 'inherit' }).on('exit', (code) => resolve(code === 0)));
}

function add(totals: Totals, result: Totals): void {
  totals.passed += result.passed;
  totals.failed += result.failed;
  totals.skipped += result.skipped;
}

/** Runs one folder of uvu suites and reads its summary; a run that dies without one counts as a failure. */
function runUvu(folder: string, options: string[] = []): Promise<Totals> {
  console.log(`\n[test] ${folder}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(dirname(require.resolve('uvu')), '..', 'bin.js'), folder, '\\.test\\.js$', ...options], {
      cwd: REPO_ROOT,
      // The platform's messaging suites use the test shop's virtual host too, never another shop's.
      env: { ...process.env, RABBITMQ_URL: brokerUrl(TEST) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on('exit', (code) => {
      const total = Number(/Total:\s+(\d+)/.exec(output)?.[1]);
      const passed = Number(/Passed:\s+(\d+)/.exec(output)?.[1]);
      const skipped = Number(/Skipped:\s+(\d+)/.exec(output)?.[1] ?? 0);
      if (Number.isNaN(total) || Number.isNaN(passed)) {
        console.error(`[test] ${folder} ended (exit ${code}) without a summary`);
        resolve({ passed: 0, failed: 1, skipped: 0 });
        return;
      }
      const failed = total - passed - skipped;
      // uvu counts a suite whose setup failed as exit 1 with no failing test: never let that pass.
      resolve({ passed, failed: failed === 0 && code !== 0 ? 1 : failed, skipped });
    });
  });
}

void main();
