import { readFileSync } from 'node:fs';
import { componentCpuPerRequest, cpuPerRequest, served, type Result } from './result';

/**
 * `npm run bench:compare -- <before results.json…> vs <after results.json…>`: two versions of the
 * shop set side by side, each from one or more bench runs (copies of `.run/bench/results.json`),
 * for an A/B of a change. For every scenario both sides ran: throughput, p99, the CPU per request
 * in all and by component, and the round trips per request, each the median over every round of
 * every run with its range, and after ÷ before. Runs of one side are best interleaved in time
 * with the other's: this machine's own speed moves between runs.
 */
export function compareTable(before: Result[][], after: Result[][]): string {
  const keys = [...new Set(before.flat().map(keyOf))].filter((key) => after.some((round) => round.some((r) => keyOf(r) === key)));
  const lines = [`  ${''.padEnd(36)} ${`before (${rounds(before)})`.padStart(22)} ${`after (${rounds(after)})`.padStart(22)} ${'after ÷ before'.padStart(15)}`];
  for (const key of keys) {
    const sides = [before, after].map((rounds) => rounds.flatMap((round) => round.filter((r) => keyOf(r) === key)));
    lines.push(`  ${key}`);
    const row = (label: string, measure: (r: Result) => number | undefined, digits: number) => {
      const [b, a] = sides.map((results) => results.map(measure).filter((v): v is number => v !== undefined && Number.isFinite(v)));
      if (b.length === 0 || a.length === 0) return;
      const ratio = median(a) / median(b);
      lines.push(
        `    ${label.padEnd(34)} ${spread(b, digits).padStart(22)} ${spread(a, digits).padStart(22)} ${(Number.isFinite(ratio) ? ratio.toFixed(2) : '').padStart(15)}`,
      );
    };
    row('rps', (r) => r.rps, 0);
    row('p99 ms', (r) => r.p99, 1);
    row('CPU ms per request', cpuPerRequest, 2);
    for (const component of componentsByCost(sides[0])) row(`  ${component}`, (r) => componentCpuPerRequest(r, component), 2);
    for (const counter of [...new Set(sides[0].flatMap((r) => Object.keys(r.statements ?? {})))]) {
      row(`${counter} per request`, (r) => perRequest(r, r.statements?.[counter]), 1);
    }
  }
  return lines.join('\n');
}

const keyOf = (result: Result) => `${result.scenario} ${result.path}`;
const rounds = (side: Result[][]) => `${side.length} round${side.length === 1 ? '' : 's'}`;

function perRequest(result: Result, total: number | undefined): number | undefined {
  return total === undefined ? undefined : total / served(result);
}

/** The components in the order of their median CPU on the before side, the costliest first. */
function componentsByCost(results: Result[]): string[] {
  const names = [...new Set(results.flatMap((r) => Object.keys(r.cpu ?? {})))];
  const cost = (name: string) => median(results.map((r) => componentCpuPerRequest(r, name) ?? 0));
  return names.sort((a, b) => cost(b) - cost(a));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** "2.39 (2.23–2.55)": the median, and the range when there is more than one value. */
function spread(values: readonly number[], digits: number): string {
  const text = (v: number) => v.toFixed(digits);
  return values.length > 1 ? `${text(median(values))} (${text(Math.min(...values))}–${text(Math.max(...values))})` : text(values[0]);
}

/** Every round of every results file given (the first tracing setting's, as the bench reports). */
function roundsOf(files: string[]): Result[][] {
  return files.flatMap((file) => (JSON.parse(readFileSync(file, 'utf8')) as { rounds: Result[][] }).rounds);
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const split = args.indexOf('vs');
  if (split < 1 || split === args.length - 1) {
    console.error('usage: npm run bench:compare -- <before results.json…> vs <after results.json…>');
    process.exit(2);
  }
  console.log(compareTable(roundsOf(args.slice(0, split)), roundsOf(args.slice(split + 1))));
}
