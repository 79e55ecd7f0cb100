import { readdirSync, readFileSync } from 'node:fs';

/** Who used the CPU: each process group named by what it is (a service, the database, the broker…). */
export type CpuSnapshot = Map<string, number>;

const TICKS_PER_SECOND = 100;

/** A name for a process the bench cares about, from its command line; undefined for the rest. */
function componentOf(commandLine: string[]): string | undefined {
  const [command, ...args] = commandLine;
  const service = args.map((a) => /services\/(\w+)\/dist\/main\.js$/.exec(a)?.[1]).find(Boolean);
  if (service) return service;
  if (args.some((a) => a.endsWith('echo-server.js'))) return 'echo';
  const base = command?.split('/').pop() ?? '';
  if (base === 'mariadbd' || base === 'mysqld') return 'mariadb';
  if (base === 'beam.smp') return 'rabbitmq';
  if (base.startsWith('postgres') || command.startsWith('postgres')) return 'postgresql';
  if (args.some((a) => a.endsWith('bare-envoy.yaml'))) return 'bare envoy';
  if (base === 'envoy' || commandLine.some((a) => a.endsWith('/envoy'))) return 'envoy';
  if (base.startsWith('jaeger')) return 'jaeger';
  if (base === 'ghz' || args.some((a) => a.endsWith('autocannon.js'))) return 'load generator';
  return undefined;
}

/** CPU seconds (user + system) used so far by every process of interest, summed per component. */
export function cpuSnapshot(): CpuSnapshot {
  const totals: CpuSnapshot = new Map();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const component = commandLine.length > 0 ? componentOf(commandLine) : undefined;
      if (!component) continue;
      // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      totals.set(component, (totals.get(component) ?? 0) + seconds);
    } catch {
      // the process ended while being read
    }
  }
  return totals;
}

/** CPU seconds each component used between two snapshots (processes that ended in between are lost). */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const used: Record<string, number> = {};
  for (const [component, seconds] of after) {
    const delta = seconds - (before.get(component) ?? 0);
    if (delta > 0.005) used[component] = Math.round(delta * 100) / 100;
  }
  return used;
}

/**
 * Waits until the shop is quiet (under a tenth of a core for half a second), so the work a
 * scenario left behind (events still flowing to the consumers) is not charged to the next one.
 */
export async function settle(timeoutMs = 60_000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  let before = cpuSnapshot();
  while (Date.now() < giveUpAt) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = cpuSnapshot();
    const busy = Object.values(cpuBetween(before, after)).reduce((sum, s) => sum + s, 0);
    if (busy < 0.05) return;
    before = after;
  }
}
