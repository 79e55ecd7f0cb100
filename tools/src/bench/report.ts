import { componentCpuPerRequest, cpuPerRequest, served, type Path, type Result } from './result';

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

const find = (results: Result[], scenario: string, path: Path) => results.find((r) => r.scenario === scenario && r.path === path);

/** The echo ceiling a scenario is set against: the same path (REST against echo through Envoy). */
export function ceilingFor(results: Result[], path: Path): Result | undefined {
  return find(results, 'echo', path === 'rest' ? 'envoy' : path);
}

export function table(results: Result[]): string {
  const byRound = results.some((r) => (r.rpsByRound?.length ?? 0) > 1);
  const width = scenarioWidth(results);
  const header = `  ${'scenario'.padEnd(width)} ${'path'.padEnd(7)} ${'rps'.padStart(8)} ${'p50'.padStart(9)} ${'p95'.padStart(9)} ${'p99'.padStart(9)} ${'errors'.padStart(7)}  ${'of echo'.padEnd(7)}${byRound ? '  rps by round' : ''}`;
  const ms = (v: number) => `${v.toFixed(1)}ms`.padStart(9);
  const rows = results.map((r) => {
    const ceiling = ceilingFor(results, r.path);
    const ratio = ceiling && r.scenario !== 'echo' ? (r.rps / ceiling.rps).toFixed(2) : '';
    const spread = byRound ? `  ${r.rpsByRound?.join(' / ') ?? ''}` : '';
    return `  ${r.scenario.padEnd(width)} ${r.path.padEnd(7)} ${Math.round(r.rps).toString().padStart(8)} ${ms(r.p50)} ${ms(r.p95)} ${ms(r.p99)} ${String(r.errors).padStart(7)}  ${ratio.padEnd(7)}${spread}`.trimEnd();
  });
  return [header.trimEnd(), ...rows].join('\n');
}

/**
 * One result per scenario from several rounds of all of them: the run with the median rps (the
 * lower one of an even count), carrying every round's rps so the spread is in plain sight.
 */
export function typicalRuns(rounds: Result[][]): Result[] {
  return rounds[0].map((_, index) => {
    const runs = rounds.map((round) => round[index]);
    const median = [...runs].sort((a, b) => a.rps - b.rps)[Math.floor((runs.length - 1) / 2)];
    return { ...median, rpsByRound: runs.map((run) => Math.round(run.rps)) };
  });
}

/** The issue's targets, each as a ratio within this run; a target whose scenarios did not run is left out. */
export function checkTargets(results: Result[], purchaseRate: number): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const ratio = (a: Result | undefined, b: Result | undefined, at: number, target: string) => {
    if (a && b) checks.push({ target, measured: (a.rps / b.rps).toFixed(2), met: a.rps / b.rps >= at });
  };
  ratio(find(results, 'echo', 'envoy'), find(results, 'echo', 'bare'), 0.9, 'echo via our Envoy ≥ 0.9 of a bare routing Envoy');
  for (const read of ['GetProduct', 'GetOrder']) {
    ratio(find(results, read, 'direct'), find(results, 'echo', 'direct'), 0.6, `${read} direct ≥ 0.6 of echo direct`);
    ratio(find(results, read, 'envoy'), find(results, read, 'direct'), 0.85, `${read} via Envoy ≥ 0.85 of direct`);
    ratio(find(results, read, 'rest'), find(results, read, 'envoy'), 0.7, `${read} REST ≥ 0.7 of gRPC via Envoy`);
  }
  const plain = find(results, 'plain mysql2', 'direct');
  for (const path of ['direct', 'envoy'] as const) {
    const place = find(results, 'PlaceOrder', path);
    if (place && plain) {
      const absolute = place.rps >= 1_500 && place.p99 <= 50;
      const relative = place.rps / plain.rps;
      checks.push({
        target: `PlaceOrder ${path} ≥ 1500/s at p99 ≤ 50 ms, or ≥ 0.5 of plain mysql2`,
        measured: `${Math.round(place.rps)}/s p99 ${place.p99.toFixed(0)} ms; ${relative.toFixed(2)} of plain`,
        met: absolute || relative >= 0.5,
      });
    }
    const purchase = find(results, 'purchase→my page', path);
    if (purchase) {
      checks.push({
        target: `purchase→my page ${path}: p99 ≤ 100 ms at ${purchaseRate}/s`,
        measured: `p99 ${purchase.p99.toFixed(0)} ms at ${Math.round(purchase.rps)}/s`,
        met: purchase.p99 <= 100 && purchase.rps >= purchaseRate * 0.95,
      });
    }
  }
  checks.push(...costTargets(results));
  const failing = results.filter((r) => r.errors > 0);
  checks.push({
    target: 'no errors in any scenario',
    measured: failing.length === 0 ? 'none' : failing.map((r) => `${r.scenario} ${r.path}: ${r.errors}`).join(', '),
    met: failing.length === 0,
  });
  return checks;
}

/**
 * What one plain mysql2 insert+commit cost MariaDB on the day issue 17 was filed (4,358 of them a
 * second). The issue wrote its CPU targets in milliseconds of that machine; this one's speed varies
 * several-fold from day to day (the same loop has cost MariaDB 0.23 to 1.1 ms here), so the bench
 * counts CPU in plain commits, the MariaDB CPU of one measured in the same round, and holds the
 * targets at the issue's own exchange rate.
 */
export const PLAIN_COMMIT_MS_ON_THE_ISSUES_DAY = 0.23;

/**
 * Issue 17's targets at the issue's speed, in plain commits of this round: a purchase (the hops
 * scenario: place, pay and every event they cause, no my page reads) ≤ 7.5 ms over the whole
 * shop, MariaDB ≤ 0.5 ms per order (PlaceOrder direct), PlaceOrder direct ≥ 0.3 of the plain loop,
 * and purchase→my page p99 ≤ 100 ms at 100 purchases a second. Left out when the plain loop did
 * not run.
 */
function costTargets(results: Result[]): TargetCheck[] {
  const plain = find(results, 'plain mysql2', 'direct');
  const plainCommitMs = plain && componentCpuPerRequest(plain, 'mariadb');
  if (!plain || !plainCommitMs) return [];
  const inPlainCommits = (ms: number, issueMs: number, what: string): TargetCheck => ({
    target: `${what} ≤ ${issueMs} ms at the issue's speed (${(issueMs / PLAIN_COMMIT_MS_ON_THE_ISSUES_DAY).toFixed(1)} plain commits)`,
    measured: `${ms.toFixed(2)} ms = ${(ms / plainCommitMs).toFixed(1)} plain commits of ${plainCommitMs.toFixed(2)} ms`,
    met: ms / plainCommitMs <= issueMs / PLAIN_COMMIT_MS_ON_THE_ISSUES_DAY,
  });
  const checks: TargetCheck[] = [];
  const purchase = results.find((r) => r.hops);
  if (purchase?.cpu) checks.push(inPlainCommits(cpuPerRequest(purchase), 7.5, 'CPU per purchase'));
  const place = find(results, 'PlaceOrder', 'direct');
  const orderMariadbMs = place && componentCpuPerRequest(place, 'mariadb');
  if (place && orderMariadbMs) {
    checks.push(inPlainCommits(orderMariadbMs, 0.5, 'MariaDB CPU per order'));
    checks.push({ target: 'PlaceOrder direct ≥ 0.3 of plain mysql2', measured: (place.rps / plain.rps).toFixed(2), met: place.rps / plain.rps >= 0.3 });
  }
  // The same exchange rate for load: a rate offered here counts as that rate × (this round's plain
  // commit ÷ 0.23 ms) on the issue's machine. Latency is held at 100 ms as written, though a slower
  // machine also serves each call more slowly: stricter than the issue's day, never looser.
  for (const path of ['direct', 'envoy'] as const) {
    const purchase = find(results, 'purchase→my page', path);
    if (!purchase) continue;
    const atIssueSpeed = (purchase.rps * plainCommitMs) / PLAIN_COMMIT_MS_ON_THE_ISSUES_DAY;
    checks.push({
      target: `purchase→my page ${path}: p99 ≤ 100 ms at 100/s at the issue's speed`,
      measured: `p99 ${purchase.p99.toFixed(0)} ms at ${Math.round(purchase.rps)}/s = ${Math.round(atIssueSpeed)}/s at the issue's speed`,
      met: purchase.p99 <= 100 && atIssueSpeed >= 95 && purchase.errors === 0,
    });
  }
  return checks;
}

/** One line per target: met in how many rounds, and what each round measured. */
export function targetLines(rounds: TargetCheck[][]): string {
  const width = Math.max(...rounds[0].map(({ target }) => target.length));
  return rounds[0]
    .map(({ target }) => {
      const checks = rounds.map((round) => round.find((check) => check.target === target)).filter((check) => check !== undefined);
      const met = checks.filter((check) => check.met).length;
      const verdict = met === checks.length ? 'met' : met === 0 ? 'NOT met' : `met ${met}/${checks.length}`;
      return `  ${verdict.padEnd(9)} ${target.padEnd(width)} ${checks.map((check) => check.measured).join(' | ')}`;
    })
    .join('\n');
}

/** The scenario column's width: the longest name, and at least the classic 17. */
function scenarioWidth(results: Result[]): number {
  return Math.max(17, ...results.map((r) => r.scenario.length));
}

/** Where each scenario's CPU went, per request, so a low ratio points at the component to fix. */
export function cpuTable(results: Result[]): string {
  const width = scenarioWidth(results);
  const components = [...new Set(results.flatMap((r) => Object.keys(r.cpu ?? {})))].sort();
  const header = `  ${'scenario'.padEnd(width)} ${'path'.padEnd(7)} ${components.map((c) => c.slice(0, 10).padStart(10)).join(' ')}`;
  const rows = results.map((r) => {
    const cells = components.map((c) => {
      const ms = componentCpuPerRequest(r, c);
      return (ms ? ms.toFixed(2) : '').padStart(10);
    });
    return `  ${r.scenario.padEnd(width)} ${r.path.padEnd(7)} ${cells.join(' ')}`;
  });
  return [header, ...rows].join('\n');
}

/** Statements and commits per served request, so a change in round trips shows beside the CPU it moved. */
export function statementsTable(results: Result[]): string {
  const width = scenarioWidth(results);
  const columns = [...new Set(results.flatMap((r) => Object.keys(r.statements ?? {})))];
  const header = `  ${'scenario'.padEnd(width)} ${'path'.padEnd(7)} ${columns.map((c) => c.padStart(19)).join(' ')}`;
  const rows = results.map((r) => {
    return `  ${r.scenario.padEnd(width)} ${r.path.padEnd(7)} ${columns.map((c) => (r.statements?.[c] !== undefined ? (r.statements[c] / served(r)).toFixed(1) : '').padStart(19)).join(' ')}`;
  });
  return [header, ...rows].join('\n');
}

/**
 * A purchase's CPU counted in statement round trips: the hops scenario's CPU per purchase over the
 * whole shop, divided by one plain prepared point read's (the bench client's and MariaDB's), both
 * measured in this run, so the figure holds on any machine.
 */
export function roundTripsLine(results: Result[]): string | undefined {
  const read = results.find((r) => r.scenario === 'plain mysql2 point read');
  const purchase = results.find((r) => r.hops);
  if (!read?.cpu || !purchase?.cpu) return undefined;
  const perRead = (componentCpuPerRequest(read, 'bench client') ?? 0) + (componentCpuPerRequest(read, 'mariadb') ?? 0);
  const perPurchase = cpuPerRequest(purchase);
  return (
    `One statement round trip (a plain prepared point read, client and MariaDB) costs ${perRead.toFixed(3)} ms of CPU; ` +
    `a purchase (hops) ${perPurchase.toFixed(2)} ms, as much as ${(perPurchase / perRead).toFixed(0)} round trips`
  );
}

/** Where the purchases' time went: each hop's p50 and p99, in ms since the purchase was due. */
export function hopsTable(result: Result, rate: number): string {
  const width = Math.max(...(result.hops ?? []).map((h) => h.hop.length), 10);
  const rows = (result.hops ?? []).map((h) => `  ${h.hop.padEnd(width)} ${h.p50.toFixed(1).padStart(8)} ${h.p99.toFixed(1).padStart(8)}`);
  return [
    `Where a purchase's time went (${result.scenario} at ${rate}/s; ms since it was due, no my page reads):`,
    `  ${'hop'.padEnd(width)} ${'p50'.padStart(8)} ${'p99'.padStart(8)}`,
    ...rows,
  ].join('\n');
}
