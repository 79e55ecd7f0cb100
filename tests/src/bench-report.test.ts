import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkTargets, hopsTable, roundTripsLine, statementsTable, table, targetLines, typicalRuns } from '@funshop/tools/bench/report';
import { compareTable } from '@funshop/tools/bench/compare';
import { growthTable } from '@funshop/tools/bench/growth';
import { countsBetween } from '@funshop/tools/bench/statements';
import type { Path, Result } from '@funshop/tools/bench/result';

const run = (scenario: string, path: Path, rps: number, p99 = 10): Result => ({ scenario, path, rps, p50: 1, p95: 5, p99, errors: 0, requests: rps * 10 });

test('the bench reports each scenario by its median round, with every round beside it', () => {
  const rounds = [
    [run('echo', 'direct', 10_000), run('GetProduct', 'direct', 4_000, 30)],
    [run('echo', 'direct', 12_000), run('GetProduct', 'direct', 7_000, 20)],
    [run('echo', 'direct', 8_000), run('GetProduct', 'direct', 5_000, 10)],
  ];
  const [echo, read] = typicalRuns(rounds);
  assert.is(echo.rps, 10_000);
  assert.is(read.rps, 5_000);
  assert.is(read.p99, 10, 'all figures come from the median round');
  assert.equal(read.rpsByRound, [4_000, 7_000, 5_000], 'in round order');
  assert.match(table([echo, read]), /GetProduct\s+direct\s+5000 .* 0\.50\s+4000 \/ 7000 \/ 5000/);
});

test("a target met in some rounds only says so, with each round's figure", () => {
  const rounds = [
    [run('echo', 'direct', 10_000), run('GetProduct', 'direct', 7_000)],
    [run('echo', 'direct', 10_000), run('GetProduct', 'direct', 5_000)],
  ];
  const line = targetLines(rounds.map((round) => checkTargets(round, 200))).split('\n')[0];
  assert.match(line, /^ {2}met 1\/2 +GetProduct direct ≥ 0\.6 of echo direct +0\.70 \| 0\.50$/);
});

test("issue 17's CPU targets are counted in plain commits of the same round, at the issue's own exchange rate", () => {
  // A plain commit cost MariaDB 0.23 ms on the issue's day; this round, 1 ms: the machine is 4.35 times slower.
  const plain = { ...run('plain mysql2', 'direct', 1_000), cpu: { mariadb: 10, 'bench client': 5 } };
  const round = (purchaseMs: number, orderMariadbMs: number, placeRps: number): Result[] => [
    plain,
    { ...run('PlaceOrder', 'direct', placeRps), cpu: { mariadb: (orderMariadbMs * placeRps * 10) / 1000, order: 1 } },
    { ...run('purchase hops', 'direct', 100), hops: [], cpu: { order: (purchaseMs * 1000) / 2000, mariadb: (purchaseMs * 1000) / 2000 } },
  ];
  const lines = targetLines([checkTargets(round(30, 2, 300), 100), checkTargets(round(35, 2.5, 250), 100)]).split('\n');
  // 7.5 ms at 0.23 ms a commit is 32.6 commits: 30 ms is 30 commits here, 35 ms is 35.
  assert.match(
    lines.find((line) => line.includes('CPU per purchase'))!,
    /^ {2}met 1\/2 +CPU per purchase ≤ 7\.5 ms at the issue's speed \(32\.6 plain commits\) +30\.00 ms = 30\.0 plain commits of 1\.00 ms \| 35\.00 ms = 35\.0/,
  );
  // 0.5 ms is 2.2 commits: 2 ms is 2.0 here (met), 2.5 ms is 2.5 (not).
  assert.match(
    lines.find((line) => line.includes('MariaDB CPU per order'))!,
    /^ {2}met 1\/2 +MariaDB CPU per order ≤ 0\.5 ms .*\(2\.2 plain commits\) +2\.00 ms = 2\.0 .* \| 2\.50 ms = 2\.5 /,
  );
  assert.match(
    lines.find((line) => line.includes('0.3 of plain'))!,
    /^ {2}met 1\/2 +PlaceOrder direct ≥ 0\.3 of plain mysql2 +0\.30 \| 0\.25$/,
  );
  // 30 purchases a second here, 4.35 times slower, are 130/s at the issue's speed.
  const purchase = (p99: number, rps: number) => [plain, run('purchase→my page', 'direct', rps, p99)];
  const latency = targetLines([checkTargets(purchase(80, 30), 30), checkTargets(purchase(120, 30), 30), checkTargets(purchase(80, 20), 20)])
    .split('\n')
    .find((line) => line.includes("at the issue's speed") && line.includes('purchase'))!;
  assert.match(
    latency,
    /^ {2}met 1\/3 +purchase→my page direct: p99 ≤ 100 ms at 100\/s at the issue's speed +p99 80 ms at 30\/s = 130\/s .* \| p99 120 ms .* \| p99 80 ms at 20\/s = 87\/s/,
  );
  // Without the plain loop in the round there is no exchange rate, and no such target.
  assert.not.ok(checkTargets(round(30, 2, 300).slice(1), 100).some((check) => check.target.includes('plain')));
});

test('the growth table sets each scenario on full tables beside its cost on empty ones, and marks a cost over 1.2×', () => {
  // CPU seconds over the whole scenario, split between two components: per request, they add up.
  const costing = (result: Result, cpuSeconds: number): Result => ({ ...result, cpu: { order: cpuSeconds / 2, mariadb: cpuSeconds / 2 } });
  const empty = [costing(run('GetOrder', 'direct', 1_000), 1), costing(run('PlaceOrder', 'direct', 100), 5)];
  const full = [costing(run('GetOrder', 'direct', 1_000), 1.1), costing(run('PlaceOrder', 'direct', 100), 6.5)];
  const lines = growthTable(empty, full, { orders: 1_000_000, customers: 10_000 }).split('\n');
  assert.match(lines[0], /then 1,000,000 paid orders over 10,000 customers/);
  assert.match(lines[2], /^ {2}GetOrder +direct +1000 +10\.0 +0\.10 +1000 +10\.0 +0\.11 +1\.10$/);
  assert.match(lines[3], /^ {2}PlaceOrder +direct +100 +10\.0 +5\.00 +100 +10\.0 +6\.50 +1\.30 !$/);
});

test('the purchase hops are listed as measured, each with its p50 and p99', () => {
  const hops = [
    { hop: 'OrderPlaced written', p50: 2.1, p99: 7.14 },
    { hop: 'OrderPlaced → customer', p50: 8.1, p99: 18.1 },
  ];
  const lines = hopsTable({ ...run('purchase hops', 'direct', 20), hops }, 20).split('\n');
  assert.match(lines[0], /purchase hops at 20\/s; ms since it was due/);
  assert.match(lines[2], /^ {2}OrderPlaced written +2\.1 +7\.1$/);
  assert.match(lines[3], /^ {2}OrderPlaced → customer +8\.1 +18\.1$/);
});

test('round trips are reported per served request, without the bench’s own reads of the counters', () => {
  const statements = countsBetween(
    { 'mariadb statements': 100, 'mariadb commits': 10, 'postgresql commits': 50 },
    { 'mariadb statements': 1_221, 'mariadb commits': 140, 'postgresql commits': 71 },
  );
  assert.equal(statements, { 'mariadb statements': 1_120, 'mariadb commits': 130, 'postgresql commits': 20 });
  const placed = { ...run('PlaceOrder', 'direct', 10), requests: 110, errors: 10, statements };
  assert.match(statementsTable([placed]), /PlaceOrder\s+direct\s+11\.2\s+1\.3\s+0\.2$/m);
});

test("a purchase is counted in plain round trips: the point read's own and MariaDB's CPU against the whole shop's for a purchase", () => {
  // The services' CPU during the point read is theirs, not the read's: left out.
  const read: Result = { ...run('plain mysql2 point read', 'direct', 100), requests: 1_000, cpu: { 'bench client': 0.06, mariadb: 0.08, order: 0.5 } };
  const purchase: Result = { ...run('purchase hops', 'direct', 10), requests: 100, hops: [], cpu: { order: 1.0, mariadb: 0.4 } };
  assert.match(roundTripsLine([read, purchase])!, /costs 0\.140 ms of CPU; a purchase \(hops\) 14\.00 ms, as much as 100 round trips$/);
  assert.is(roundTripsLine([purchase]), undefined, 'no unit without the point read');
});

test('an A/B comparison takes the median of every round on each side, with its range, and after over before; a scenario one side lacks is left out', () => {
  // 1,000 requests; CPU seconds in all, so per request they are milliseconds.
  const placing = (rps: number, orderSeconds: number, statements: number): Result => ({
    ...run('PlaceOrder', 'direct', rps),
    requests: 1_000,
    cpu: { order: orderSeconds, mariadb: 1 },
    statements: { 'mariadb statements': statements },
  });
  const before = [[placing(200, 3, 9_000), run('echo', 'direct', 9_000)], [placing(220, 2.7, 9_200)], [placing(180, 3.1, 9_400)]];
  const after = [[placing(230, 2.4, 9_000)], [placing(210, 2.2, 9_000)]];
  const lines = compareTable(before, after).split('\n');
  assert.match(lines[0], /before \(3 rounds\) +after \(2 rounds\) +after ÷ before$/);
  assert.is(lines[1], '  PlaceOrder direct');
  assert.match(lines[2], /^ {4}rps +200 \(180–220\) +220 \(210–230\) +1\.10$/);
  assert.match(lines[4], /^ {4}CPU ms per request +4\.00 \(3\.70–4\.10\) +3\.30 \(3\.20–3\.40\) +0\.82$/);
  assert.match(lines[5], /^ {6}order +3\.00 \(2\.70–3\.10\) +2\.30 \(2\.20–2\.40\) +0\.77$/, 'the costliest component first');
  assert.match(lines[6], /^ {6}mariadb +1\.00 \(1\.00–1\.00\) +1\.00 \(1\.00–1\.00\) +1\.00$/);
  assert.match(lines[7], /^ {4}mariadb statements per request +9\.2 \(9\.0–9\.4\) +9\.0 \(9\.0–9\.0\) +0\.98$/);
  assert.is(lines.length, 8, 'the echo ran on one side only');
});

test.run();
