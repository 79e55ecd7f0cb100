import { execFile } from 'node:child_process';
import { REPO_ROOT } from '@funshop/tools/layout';
import { eventually as poll } from '../shop';

/**
 * The cluster the shop was deployed on (`npm run cluster -- deploy`), reached through
 * `npm run cluster -- kubectl`: the local cluster's kubeconfig while it runs, else the user's.
 */
export const NAMESPACE = 'funshop';

export interface Pod {
  name: string;
  ip: string;
  ready: boolean;
  restarts: number;
  deleting: boolean;
}

/** kubectl against the cluster; throws with its stderr when it fails. */
export function kubectl(...args: string[]): Promise<string> {
  return kubectlWith(undefined, ...args);
}

/** kubectl with `input` on its standard input (e.g. `apply -f -`). */
export function kubectlWith(input: string | undefined, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'bash',
      ['scripts/cluster.sh', 'kubectl', ...args],
      { cwd: REPO_ROOT, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)),
    );
    child.stdin!.end(input ?? '');
  });
}

export async function json<T = any>(...args: string[]): Promise<T> {
  return JSON.parse(await kubectl(...args, '-o', 'json')) as T;
}

/** The pods of one app (its `app.kubernetes.io/name`), oldest first. */
export async function pods(app: string): Promise<Pod[]> {
  const list = await json(
    '-n',
    NAMESPACE,
    'get',
    'pods',
    '-l',
    `app.kubernetes.io/name=${app},app.kubernetes.io/part-of=funshop`,
    '--sort-by=.metadata.creationTimestamp',
  );
  return list.items.map(toPod);
}

function toPod(pod: any): Pod {
  return {
    name: pod.metadata.name,
    ip: pod.status.podIP ?? '',
    ready: (pod.status.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'),
    restarts: (pod.status.containerStatuses ?? []).reduce((sum: number, c: { restartCount: number }) => sum + c.restartCount, 0),
    deleting: Boolean(pod.metadata.deletionTimestamp),
  };
}

/** Runs a line of JavaScript with the node of an app's pod (the images have no curl). */
export function nodeIn(podName: string, container: string, script: string): Promise<string> {
  return kubectl('-n', NAMESPACE, 'exec', podName, '-c', container, '--', 'node', '-e', script);
}

/** One pod by name (gone: undefined). */
export async function pod(name: string): Promise<Pod | undefined> {
  const all = await json('-n', NAMESPACE, 'get', 'pods', '--field-selector', `metadata.name=${name}`);
  return all.items.length ? toPod(all.items[0]) : undefined;
}

/** Where a NodePort Service of the local overlay answers from this machine: the node's address and the port named `portName`. */
export async function nodePortUrl(service: string, portName: string): Promise<string> {
  const found = await json('-n', NAMESPACE, 'get', 'service', service);
  const nodes = await json('get', 'nodes');
  const address = nodes.items[0].status.addresses.find((a: { type: string }) => a.type === 'InternalIP').address;
  const port = found.spec.ports.find((p: { name: string }) => p.name === portName).nodePort;
  return `http://${address}:${port}`;
}

/** Where the cluster's Envoy answers from this machine: the envoy Service's NodePort on the node's address. */
export async function edge(): Promise<{ url: string; grpc: string }> {
  const url = await nodePortUrl('envoy', 'http');
  return { url, grpc: url.slice('http://'.length) };
}

/** The end-to-end suites' poll: a cluster's changes take seconds, so the tests here poll once a second by default. */
export function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 120_000, everyMs = 1_000): Promise<T> {
  return poll(what, read, done, timeoutMs, everyMs);
}

/**
 * Waits until the shop is back at rest after a test's load: every HPA at its minimum and every
 * Deployment's pods ready (on 2 cores a scaled-up Deployment has pods that cannot be scheduled).
 */
export async function atRest(): Promise<void> {
  await untilNone('every HPA back at its minimum', 'hpa', (h) => h.status.currentReplicas !== h.spec.minReplicas, 5_000);
  await untilNone('every Deployment ready', 'deployments', (d) => d.status.readyReplicas !== d.spec.replicas, 2_000);
}

/** Polls (up to 5 minutes) until no object of `kind` in the namespace is still `pending`; a timeout names those that are. */
async function untilNone(what: string, kind: string, pending: (object: any) => boolean, everyMs: number): Promise<void> {
  await eventually(
    what,
    async () => (await json('-n', NAMESPACE, 'get', kind)).items.filter(pending).map((object: any) => object.metadata.name),
    (names) => names.length === 0,
    300_000,
    everyMs,
  );
}

/** A line of the figures a test measured, for the log of the run. */
export function report(test: string, figures: Record<string, unknown>): void {
  console.log(
    `    [${test}] ${Object.entries(figures)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join('  ')}`,
  );
}
