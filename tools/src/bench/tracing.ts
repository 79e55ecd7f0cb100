import { EnvoyConfig } from '../envoy-config';
import { cpuPerRequest, type Result } from './result';

/**
 * How the bench shop traces: `off` (no SDK in the services, no tracer in Envoy), or the share of
 * requests sampled, the same in Envoy (`random_sampling`) and in the services (parent-based ratio
 * sampling, for the calls that reach them directly). Sampled spans go to the Jaeger that
 * scripts/infra.sh runs, so its CPU is measured too.
 */
export interface TracingSetting {
  label: string;
  /** 0..1; undefined when tracing is off. */
  ratio: number | undefined;
}

/** Parses BENCH_TRACING: a comma-separated list of `off` and ratios (`0.1`) or percentages (`10%`). */
export function tracingSettings(spec: string): TracingSetting[] {
  return spec.split(',').map((raw) => {
    const text = raw.trim().toLowerCase();
    if (text === 'off') return { label: 'off', ratio: undefined };
    const ratio = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
    if (!(ratio > 0 && ratio <= 1)) throw new Error(`BENCH_TRACING: "${raw}" is neither off nor a sampling ratio in (0, 1] or a percentage`);
    return { label: `${+(ratio * 100).toFixed(2)} %`, ratio };
  });
}

/** The services' OpenTelemetry settings for a tracing setting. */
export function tracingServiceEnv(setting: TracingSetting): Record<string, string> {
  return setting.ratio === undefined
    ? { OTEL_SDK_DISABLED: 'true' }
    : { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: String(setting.ratio) };
}

/** Envoy's config for a tracing setting: without its tracer, or sampling that share of requests. */
export function tracingEnvoyConfig(configText: string, setting: TracingSetting): string {
  const config = EnvoyConfig.parse(configText);
  if (setting.ratio === undefined) config.removeEverywhere('tracing');
  else config.setEverywhere('random_sampling', { value: setting.ratio * 100 });
  return config.toString();
}

/**
 * What tracing costs, scenario by scenario: each setting's rps and CPU per request across the
 * system (every component the bench measures, Jaeger included), and the CPU as a ratio to the
 * first setting's. Settings ran interleaved, so the machine's drift falls on all of them alike.
 */
export function tracingCostTable(settings: TracingSetting[], results: Result[][]): string {
  const cell = (text: string) => text.padStart(22);
  const header = `  ${'scenario'.padEnd(17)} ${'path'.padEnd(7)} ${settings.map((s) => cell(`tracing ${s.label}`)).join('')}`;
  const rows = results[0].map((first, index) => {
    const cells = results.map((run) => {
      const r = run[index];
      const ratio = cpuPerRequest(r) / cpuPerRequest(first);
      return cell(`${Math.round(r.rps)}/s ${cpuPerRequest(r).toFixed(2)} ms${run === results[0] ? '' : ` ×${ratio.toFixed(2)}`}`);
    });
    return `  ${first.scenario.padEnd(17)} ${first.path.padEnd(7)} ${cells.join('')}`;
  });
  return [`What tracing costs: rps, CPU ms per request across the system, and that CPU as a multiple of the first setting's:`, header, ...rows].join('\n');
}
