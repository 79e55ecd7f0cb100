import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Alias, isMap, isScalar, isSeq, parseDocument, Scalar, visit, YAMLMap, YAMLSeq, type Document, type Node } from 'yaml';
import { REPO_ROOT } from './layout';

/** The gateway's config as committed: what local runs use, and what the cluster's is derived from. */
export const ENVOY_CONFIG_FILE = resolve(REPO_ROOT, 'envoy/envoy.yaml');

export interface SocketAddress {
  address: string;
  port: number;
}

/**
 * An Envoy config as a YAML document, edited by structure rather than by text: the supervisor
 * moves its ports and replicates endpoints, the cluster gets its addresses and paths, the bench
 * and the experiments their routes and limits. Parsed with the `yaml` package, which keeps the
 * comments and anchors a reader of the generated file relies on.
 */
export class EnvoyConfig {
  private constructor(private readonly document: Document) {}

  static load(path = ENVOY_CONFIG_FILE): EnvoyConfig {
    return EnvoyConfig.parse(readFileSync(path, 'utf8'));
  }

  static parse(text: string): EnvoyConfig {
    const document = parseDocument(text);
    if (document.errors.length > 0) throw new Error(`not a YAML document: ${document.errors[0].message}`);
    return new EnvoyConfig(document);
  }

  toString(): string {
    return this.document.toString({ lineWidth: 0 });
  }

  /** Replaces the comment at the top of the file (which the parser gives to the first key). */
  setHeaderComment(comment: string): this {
    const first = isMap(this.document.contents) ? this.document.contents.items[0]?.key : undefined;
    if (isScalar(first)) first.commentBefore = undefined;
    this.document.commentBefore = comment;
    return this;
  }

  /**
   * Rewrites every socket address (listeners, admin, endpoints) that `change` returns a new one
   * for; the others stay as they are.
   */
  mapSocketAddresses(change: (current: SocketAddress) => SocketAddress | undefined): this {
    visit(this.document, {
      Pair: (_, pair) => {
        if (!isScalar(pair.key) || pair.key.value !== 'socket_address' || !isMap(pair.value)) return;
        const node = pair.value;
        const next = change({ address: String(node.get('address')), port: Number(node.get('port_value')) });
        if (!next) return;
        node.set('address', next.address);
        node.set('port_value', next.port);
      },
    });
    return this;
  }

  /** Rewrites every value of the given keys (file paths, say) that `change` returns a new one for. */
  mapValues(keys: readonly string[], change: (value: string) => string | undefined): this {
    visit(this.document, {
      Pair: (_, pair) => {
        if (!isScalar(pair.key) || !keys.includes(String(pair.key.value)) || !isScalar(pair.value)) return;
        const next = change(String(pair.value.value));
        if (next !== undefined) pair.value.value = next;
      },
    });
    return this;
  }

  /** Every upstream cluster, in order. */
  clusters(): YAMLMap[] {
    return this.seqAt(['static_resources', 'clusters']).items.filter(isMap);
  }

  cluster(name: string): YAMLMap {
    const cluster = this.clusters().find((candidate) => candidate.get('name') === name);
    if (!cluster) throw new Error(`the Envoy config has no cluster ${name}`);
    return cluster;
  }

  /** Gives cluster `name` one endpoint per address instead of the one it has. */
  setEndpoints(name: string, addresses: readonly SocketAddress[]): this {
    const endpoints = this.cluster(name).getIn(['load_assignment', 'endpoints', 0, 'lb_endpoints']);
    if (!isSeq(endpoints) || endpoints.items.length !== 1) throw new Error(`cluster ${name} does not have exactly one endpoint`);
    const template = endpoints.items[0] as Node;
    endpoints.items = addresses.map((address) => {
      const endpoint = template.clone() as YAMLMap;
      const socket = endpoint.getIn(['endpoint', 'address', 'socket_address']) as YAMLMap;
      socket.set('address', address.address);
      socket.set('port_value', address.port);
      return endpoint;
    });
    return this;
  }

  /** Adds a cluster at the end, sharing the first cluster's anchored settings (HTTP/2, limits). */
  addCluster(name: string, address: SocketAddress, options: { connectTimeout: string }): this {
    const first = this.clusters()[0];
    const cluster = this.document.createNode({
      name,
      type: 'STATIC',
      connect_timeout: options.connectTimeout,
      load_assignment: {
        cluster_name: name,
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: address.address, port_value: address.port } } } }] }],
      },
    }) as YAMLMap;
    for (const shared of ['typed_extension_protocol_options', 'circuit_breakers']) {
      const node = this.resolved(first.get(shared, true) as Node);
      if (node.anchor) cluster.set(shared, new Alias(node.anchor));
    }
    this.seqAt(['static_resources', 'clusters']).items.push(cluster);
    return this;
  }

  /** The CORS filter's allowed origins, exactly. */
  setCorsOrigins(origins: readonly string[]): this {
    let found = false;
    visit(this.document, {
      Pair: (_, pair) => {
        if (!isScalar(pair.key) || pair.key.value !== 'allow_origin_string_match') return;
        const list = this.document.createNode(origins.map((origin) => ({ exact: origin }))) as YAMLSeq;
        list.flow = true;
        // Quoted, as in the committed file: Envoy's parser need not read `http://…` as one plain scalar.
        for (const entry of list.items as YAMLMap[]) (entry.get('exact', true) as Scalar).type = Scalar.QUOTE_DOUBLE;
        pair.value = list;
        found = true;
      },
    });
    if (!found) throw new Error('the Envoy config has no CORS origins to set');
    return this;
  }

  /** Inserts a route just before the catch-all route (`prefix: "/"`) of the virtual host that has one. */
  addRouteBeforeCatchAll(route: object): this {
    let found = false;
    visit(this.document, {
      Pair: (_, pair) => {
        if (found || !isScalar(pair.key) || pair.key.value !== 'routes' || !isSeq(pair.value)) return;
        const routes = pair.value;
        const catchAll = routes.items.findIndex((item) => isMap(item) && item.getIn(['match', 'prefix']) === '/');
        if (catchAll < 0) return;
        routes.items.splice(catchAll, 0, this.document.createNode(route) as Node);
        found = true;
      },
    });
    if (!found) throw new Error('the Envoy config has no catch-all route');
    return this;
  }

  /** Removes the route that matches exactly this path prefix, from whichever virtual host has it. */
  removeRoute(prefix: string): this {
    let found = false;
    visit(this.document, {
      Pair: (_, pair) => {
        if (found || !isScalar(pair.key) || pair.key.value !== 'routes' || !isSeq(pair.value)) return;
        const index = pair.value.items.findIndex((item) => isMap(item) && item.getIn(['match', 'prefix']) === prefix && item.has('route'));
        if (index < 0) return;
        pair.value.items.splice(index, 1);
        found = true;
      },
    });
    if (!found) throw new Error(`the Envoy config has no route for the prefix ${prefix}`);
    return this;
  }

  /** Sets `field` to `value` in every map that has it (an anchored map once, however often it is aliased). */
  setEverywhere(field: string, value: unknown): this {
    let found = false;
    visit(this.document, {
      Map: (_, map) => {
        if (!map.has(field)) return;
        map.set(field, value);
        found = true;
      },
    });
    if (!found) throw new Error(`the Envoy config has no ${field}`);
    return this;
  }

  /** Removes every `field` (with all under it). */
  removeEverywhere(field: string): this {
    let found = false;
    visit(this.document, {
      Pair: (_, pair) => {
        if (!isScalar(pair.key) || pair.key.value !== field) return;
        found = true;
        return visit.REMOVE;
      },
    });
    if (!found) throw new Error(`the Envoy config has no ${field} to leave out`);
    return this;
  }

  /** The upstream HTTP protocol options every cluster shares, to add settings to. */
  sharedHttpProtocolOptions(): YAMLMap {
    const options = this.resolved(this.clusters()[0].get('typed_extension_protocol_options', true) as Node);
    const http = isMap(options) ? options.get('envoy.extensions.upstreams.http.v3.HttpProtocolOptions') : undefined;
    if (!isMap(http)) throw new Error('the first cluster has no upstream HTTP protocol options');
    return http;
  }

  private seqAt(path: string[]): YAMLSeq {
    const node = this.document.getIn(path);
    if (!isSeq(node)) throw new Error(`the Envoy config has no ${path.join('.')}`);
    return node;
  }

  private resolved(node: Node): Node {
    return node instanceof Alias ? (node.resolve(this.document) as Node) : node;
  }
}
