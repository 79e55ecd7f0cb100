import { EnvoyConfig } from '../envoy-config';

/**
 * The bench Envoy: the committed config plus a route to the echo ceiling and no edge rate limit.
 * Its access log is left out unless the services write theirs: it costs no CPU that the bench can
 * measure, but a run writes hundreds of MB of it.
 */
export function benchEnvoyConfig(configText: string, options: { echoPort: number; accessLogs: boolean }): string {
  const config = EnvoyConfig.parse(configText)
    .addRouteBeforeCatchAll({ match: { prefix: '/funshop.bench.v1.EchoService/' }, route: { cluster: 'echo', timeout: '15s' } })
    .setEverywhere('token_bucket', { max_tokens: 1_000_000, tokens_per_fill: 1_000_000, fill_interval: '1s' })
    .addCluster('echo', { address: '127.0.0.1', port: options.echoPort }, { connectTimeout: '1s' });
  if (!options.accessLogs) config.removeEverywhere('access_log');
  return config.toString();
}
