import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';

/**
 * How many statements and commits the databases served, server-wide: MariaDB's `Questions`
 * (every statement a client sent, prepared executions included) and `Com_commit`, and
 * PostgreSQL's committed transactions. Per request, they tell a cost in round trips apart from a
 * cost per statement: the services' profiles show a socket write per statement as their largest
 * single item.
 */
export type StatementCounts = Record<string, number>;

export async function statementCounts(): Promise<StatementCounts> {
  const mariadb = await createConnection({ host: '127.0.0.1', user: 'funshop', password: 'funshop' });
  const postgres = new Client({ host: '127.0.0.1', user: 'funshop', password: 'funshop', database: 'postgres' });
  try {
    const [rows] = await mariadb.query("SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions', 'Com_commit')");
    const status = Object.fromEntries((rows as { Variable_name: string; Value: string }[]).map((row) => [row.Variable_name, Number(row.Value)]));
    await postgres.connect();
    const { rows: commits } = await postgres.query<{ commits: string }>('SELECT sum(xact_commit) AS commits FROM pg_stat_database');
    return { 'mariadb statements': status.Questions, 'mariadb commits': status.Com_commit, 'postgresql commits': Number(commits[0].commits) };
  } finally {
    await mariadb.end();
    await postgres.end().catch(() => undefined);
  }
}

/** What was served between two counts; the two reads of the counters themselves are taken off. */
export function countsBetween(before: StatementCounts, after: StatementCounts): StatementCounts {
  const reading = { 'mariadb statements': 1, 'mariadb commits': 0, 'postgresql commits': 1 } as StatementCounts;
  return Object.fromEntries(Object.keys(after).map((key) => [key, Math.max(0, after[key] - before[key] - (reading[key] ?? 0))]));
}
