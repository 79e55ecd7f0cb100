import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { toYaml } from '../k8s/yaml';
import { envoyArgs } from '../supervisor';

/**
 * The gateway's own ceiling: an Envoy that only routes (one listener, one route, the router
 * filter, HTTP/2 to the echo service), run beside the shop's. The shop's Envoy in front of the same
 * echo, with its token check, request ids, rate limits, health checks and outlier detection, is
 * then set against it, so what our config costs is told apart from what Envoy itself costs.
 */
export function bareEnvoyConfig(listenPort: number, echoPort: number): object {
  const socket = (port: number) => ({ socket_address: { address: '127.0.0.1', port_value: port } });
  return {
    static_resources: {
      listeners: [
        {
          name: 'bare',
          address: socket(listenPort),
          filter_chains: [
            {
              filters: [
                {
                  name: 'envoy.filters.network.http_connection_manager',
                  typed_config: {
                    '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
                    stat_prefix: 'bare',
                    codec_type: 'AUTO',
                    route_config: {
                      virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'echo', timeout: '15s' } }] }],
                    },
                    http_filters: [
                      { name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
      clusters: [
        {
          name: 'echo',
          type: 'STATIC',
          connect_timeout: '1s',
          typed_extension_protocol_options: {
            'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
              '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
              explicit_http_config: { http2_protocol_options: {} },
            },
          },
          load_assignment: { cluster_name: 'echo', endpoints: [{ lb_endpoints: [{ endpoint: { address: socket(echoPort) } }] }] },
        },
      ],
    },
  };
}

/** Starts the bare Envoy from a config file written at `configFile` (its name tells the CPU accounting what it is). */
export function startBareEnvoy(configFile: string, listenPort: number, echoPort: number): ChildProcess {
  writeFileSync(configFile, toYaml(bareEnvoyConfig(listenPort, echoPort)));
  // As the shop's Envoy is run, so the two differ by their config alone.
  return spawn('envoy', envoyArgs(configFile), { stdio: 'inherit' });
}
