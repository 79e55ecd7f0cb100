import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from './layout';

/**
 * Grafana dashboards for the shop, written as code and generated into grafana/dashboards/
 * (`npm run grafana:generate`; the tests check the files are up to date, parse, and name only
 * series that exist). Every query reads the Prometheus data source chosen in the dashboard, over
 * the services' metrics (platform/src/metrics.ts), Envoy's stats and the recording rules of
 * prometheus/rules.yml.
 */
export const DASHBOARD_DIR = resolve(REPO_ROOT, 'grafana/dashboards');

interface Query {
  expr: string;
  legend: string;
}
interface Panel {
  title: string;
  description: string;
  unit: string;
  queries: Query[];
  /** A single figure instead of a graph over time. */
  stat?: boolean;
}

const SERVICES = 'job=~"$job"';
const rate = (selector: string) => `rate(${selector}[$__rate_interval])`;
const published = (eventType: string) => `sum(${rate(`funshop_events_published_total{event_type="${eventType}"}`)})`;

function dashboard(uid: string, title: string, description: string, rows: { title: string; panels: Panel[] }[]): object {
  const panels: object[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { x: 0, y: y++, w: 24, h: 1 }, panels: [] });
    const width = row.panels.length > 2 ? 8 : 12;
    row.panels.forEach((panel, index) => {
      const height = panel.stat ? 4 : 8;
      panels.push({
        id: id++,
        type: panel.stat ? 'stat' : 'timeseries',
        title: panel.title,
        description: panel.description,
        datasource: { type: 'prometheus', uid: '${datasource}' },
        gridPos: { x: (index * width) % 24, y: y + Math.floor((index * width) / 24) * height, w: width, h: height },
        fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
        options: panel.stat ? { reduceOptions: { calcs: ['lastNotNull'] } } : { legend: { displayMode: 'table', placement: 'bottom', calcs: ['mean', 'max'] } },
        targets: panel.queries.map((query, index) => ({
          refId: String.fromCharCode(65 + index),
          datasource: { type: 'prometheus', uid: '${datasource}' },
          expr: query.expr,
          legendFormat: query.legend,
        })),
      });
    });
    y += Math.ceil((row.panels.length * width) / 24) * (row.panels.some((panel) => !panel.stat) ? 8 : 4);
  }
  return {
    uid,
    title,
    description,
    tags: ['funshop'],
    schemaVersion: 39,
    editable: true,
    refresh: '10s',
    time: { from: 'now-1h', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus' },
        {
          name: 'job',
          label: 'service',
          type: 'query',
          datasource: { type: 'prometheus', uid: '${datasource}' },
          query: { query: 'label_values(funshop_grpc_server_handling_seconds_count, job)', refId: 'job' },
          includeAll: true,
          multi: true,
          current: { text: 'All', value: '$__all' },
        },
      ],
    },
    panels,
  };
}

function requests(): object {
  return dashboard(
    'funshop-red',
    'Funshop: requests',
    'Rate, errors and duration of every gRPC call the services serve and make, and of Envoy in front of them.',
    [
      {
        title: 'Calls served',
        panels: [
          {
            title: 'Rate by method',
            description: 'Calls served per second.',
            unit: 'reqps',
            queries: [{ expr: `sum by (job, method) (${rate(`funshop_grpc_server_handling_seconds_count{${SERVICES}}`)})`, legend: '{{method}}' }],
          },
          {
            title: 'Error ratio (the server’s side)',
            description:
              'INTERNAL, UNKNOWN, UNAVAILABLE, DEADLINE_EXCEEDED and DATA_LOSS among all calls (recording rule). A NOT_FOUND is an answer, not an error.',
            unit: 'percentunit',
            queries: [{ expr: `funshop:grpc_server_error_ratio:rate5m{${SERVICES}}`, legend: '{{job}}' }],
          },
          {
            title: 'p99 duration by method',
            description: '99 in 100 calls are served within this.',
            unit: 's',
            queries: [
              {
                expr: `histogram_quantile(0.99, sum by (job, method, le) (${rate(`funshop_grpc_server_handling_seconds_bucket{${SERVICES}}`)}))`,
                legend: '{{method}}',
              },
            ],
          },
          {
            title: 'Answers by status',
            description: 'Calls per second by gRPC status: the refusals (INVALID_ARGUMENT, FAILED_PRECONDITION, RESOURCE_EXHAUSTED) show here.',
            unit: 'reqps',
            queries: [{ expr: `sum by (code) (${rate(`funshop_grpc_server_handling_seconds_count{${SERVICES}}`)})`, legend: '{{code}}' }],
          },
        ],
      },
      {
        title: 'Calls made (order → payment)',
        panels: [
          {
            title: 'Attempts by status',
            description: 'Each attempt, retries included.',
            unit: 'reqps',
            queries: [{ expr: `sum by (method, code) (${rate(`funshop_grpc_client_handling_seconds_count{${SERVICES}}`)})`, legend: '{{method}} {{code}}' }],
          },
          {
            title: 'p99 duration',
            description: 'As the caller sees it, Envoy’s internal hop included.',
            unit: 's',
            queries: [
              {
                expr: `histogram_quantile(0.99, sum by (method, le) (${rate(`funshop_grpc_client_handling_seconds_bucket{${SERVICES}}`)}))`,
                legend: '{{method}}',
              },
            ],
          },
          {
            title: 'Payment circuit',
            description: '1 while the order service’s circuit breaker to payment is open: PayOrder fails fast.',
            unit: 'none',
            queries: [{ expr: 'max(funshop_payment_circuit_open)', legend: 'open' }],
          },
        ],
      },
      {
        title: 'Envoy',
        panels: [
          {
            title: 'Upstream requests by cluster',
            description: 'What Envoy sent to each service.',
            unit: 'reqps',
            queries: [{ expr: `sum by (envoy_cluster_name) (${rate('envoy_cluster_upstream_rq_total')})`, legend: '{{envoy_cluster_name}}' }],
          },
          {
            title: 'Upstream 5xx by cluster',
            description: 'Failures Envoy saw or made (no healthy host, overflow, timeouts).',
            unit: 'reqps',
            queries: [
              {
                expr: `sum by (envoy_cluster_name) (${rate('envoy_cluster_upstream_rq_xx{envoy_response_code_class="5"}')})`,
                legend: '{{envoy_cluster_name}}',
              },
            ],
          },
          {
            title: 'Shed and ejected',
            description: 'Requests refused by a circuit breaker (overflow), and hosts ejected by outlier detection.',
            unit: 'short',
            queries: [
              { expr: `sum by (envoy_cluster_name) (${rate('envoy_cluster_upstream_rq_pending_overflow')})`, legend: 'overflow {{envoy_cluster_name}}' },
              { expr: 'sum by (envoy_cluster_name) (envoy_cluster_outlier_detection_ejections_active)', legend: 'ejected {{envoy_cluster_name}}' },
            ],
          },
        ],
      },
      {
        title: 'Resources',
        panels: [
          {
            title: 'Database pool',
            description: 'Connections in use, and statements or transactions waiting for one.',
            unit: 'short',
            queries: [
              { expr: `sum by (job) (funshop_db_pool_connections{state="in_use",${SERVICES}})`, legend: 'in use {{job}}' },
              { expr: `sum by (job) (funshop_db_pool_waiting{${SERVICES}})`, legend: 'waiting {{job}}' },
            ],
          },
          {
            title: 'CPU',
            description: 'CPU seconds per second, per service instance.',
            unit: 'percentunit',
            queries: [{ expr: `sum by (job, instance) (${rate(`process_cpu_seconds_total{${SERVICES}}`)})`, legend: '{{instance}}' }],
          },
          {
            title: 'Event-loop lag p99',
            description: 'How long work waited for Node’s event loop.',
            unit: 's',
            queries: [{ expr: `max by (job, instance) (nodejs_eventloop_lag_p99_seconds{${SERVICES}})`, legend: '{{instance}}' }],
          },
        ],
      },
    ],
  );
}

function events(): object {
  return dashboard('funshop-events', 'Funshop: events and outbox', 'The event backbone: outboxes, the relay, the consumers and their inboxes.', [
    {
      title: 'Outbox and relay',
      panels: [
        {
          title: 'Published by type',
          description: 'Events the relays got confirmed by RabbitMQ.',
          unit: 'short',
          queries: [{ expr: `sum by (event_type) (${rate(`funshop_events_published_total{${SERVICES}}`)})`, legend: '{{event_type}}' }],
        },
        {
          title: 'Outbox lag',
          description: 'Age of the oldest unsent event (FunshopOutboxLagging fires past 30 s).',
          unit: 's',
          queries: [{ expr: `max by (job) (funshop_outbox_lag_seconds{${SERVICES}})`, legend: '{{job}}' }],
        },
        {
          title: 'Relay batch size (median)',
          description: 'Events per confirmed relay pass.',
          unit: 'short',
          queries: [
            {
              expr: `histogram_quantile(0.5, sum by (job, le) (${rate(`funshop_outbox_relay_batch_events_bucket{${SERVICES}}`)}))`,
              legend: '{{job}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Consumers',
      panels: [
        {
          title: 'Applied by consumer and type',
          description: 'Events applied and committed.',
          unit: 'short',
          queries: [{ expr: `sum by (consumer, event_type) (${rate(`funshop_events_consumed_total{${SERVICES}}`)})`, legend: '{{consumer}} {{event_type}}' }],
        },
        {
          title: 'p99 from arrival to commit',
          description: 'Recording rule funshop:event_handling_seconds:p99_5m (FunshopEventHandlingSlow fires past 5 s).',
          unit: 's',
          queries: [{ expr: `funshop:event_handling_seconds:p99_5m{${SERVICES}}`, legend: '{{consumer}} {{event_type}}' }],
        },
        {
          title: 'Events per consumer transaction',
          description: 'Mean batch size (group commit): events applied per transaction.',
          unit: 'short',
          queries: [
            {
              expr: `sum by (consumer) (${rate(`funshop_events_consumed_total{${SERVICES}}`)}) / sum by (consumer) (${rate(`funshop_event_batches_total{${SERVICES}}`)})`,
              legend: '{{consumer}}',
            },
          ],
        },
      ],
    },
    {
      title: 'When things go wrong',
      panels: [
        {
          title: 'Retried, dead-lettered, redelivered, duplicates',
          description: 'Duplicates are redeliveries the inbox recognised and skipped.',
          unit: 'short',
          queries: [
            { expr: `sum by (consumer) (${rate(`funshop_events_retried_total{${SERVICES}}`)})`, legend: 'retried {{consumer}}' },
            { expr: `sum by (consumer) (${rate(`funshop_events_dead_lettered_total{${SERVICES}}`)})`, legend: 'dead-lettered {{consumer}}' },
            { expr: `sum by (consumer) (${rate(`funshop_events_redelivered_total{${SERVICES}}`)})`, legend: 'redelivered {{consumer}}' },
            { expr: `sum by (consumer) (${rate(`funshop_events_duplicate_total{${SERVICES}}`)})`, legend: 'duplicate {{consumer}}' },
          ],
        },
        {
          title: 'Unsent outbox events',
          description: 'Events waiting in the outboxes for the relay.',
          unit: 'short',
          queries: [{ expr: `sum by (job) (funshop_outbox_unsent{${SERVICES}})`, legend: '{{job}}' }],
        },
      ],
    },
  ]);
}

function purchases(): object {
  const ratio = (numerator: string, denominator: string) =>
    `sum(increase(funshop_events_published_total{event_type="${numerator}"}[1h])) / sum(increase(funshop_events_published_total{event_type="${denominator}"}[1h]))`;
  return dashboard(
    'funshop-purchases',
    'Funshop: purchase funnel',
    'Orders from placed to paid, declined, cancelled or expired, from the events each step publishes.',
    [
      {
        title: 'The last hour',
        panels: [
          {
            title: 'Paid of placed',
            description: 'OrderPaid over OrderPlaced in the last hour.',
            unit: 'percentunit',
            stat: true,
            queries: [{ expr: ratio('funshop.order.v1.OrderPaid', 'funshop.order.v1.OrderPlaced'), legend: 'paid' }],
          },
          {
            title: 'Cancelled of placed',
            description: 'OrderCancelled over OrderPlaced in the last hour.',
            unit: 'percentunit',
            stat: true,
            queries: [{ expr: ratio('funshop.order.v1.OrderCancelled', 'funshop.order.v1.OrderPlaced'), legend: 'cancelled' }],
          },
          {
            title: 'Expired of placed',
            description: 'OrderExpired (unpaid past the payment window) over OrderPlaced in the last hour.',
            unit: 'percentunit',
            stat: true,
            queries: [{ expr: ratio('funshop.order.v1.OrderExpired', 'funshop.order.v1.OrderPlaced'), legend: 'expired' }],
          },
        ],
      },
      {
        title: 'Each step',
        panels: [
          {
            title: 'Orders',
            description: 'Placed, paid, cancelled and expired, per second.',
            unit: 'short',
            queries: ['OrderPlaced', 'OrderPaid', 'OrderCancelled', 'OrderExpired'].map((event) => ({
              expr: published(`funshop.order.v1.${event}`),
              legend: event,
            })),
          },
          {
            title: 'Payments',
            description:
              'Approved (announced by the order service as OrderPaid), declined (the customer may pay again) and refunded (PaymentCancelled), per second.',
            unit: 'short',
            queries: [
              { expr: published('funshop.order.v1.OrderPaid'), legend: 'approved (OrderPaid)' },
              { expr: published('funshop.payment.v1.PaymentDeclined'), legend: 'PaymentDeclined' },
              { expr: published('funshop.payment.v1.PaymentCancelled'), legend: 'PaymentCancelled' },
            ],
          },
          {
            title: 'My page updates',
            description: 'Events the my page projection applied, per second.',
            unit: 'short',
            queries: [{ expr: `sum by (event_type) (${rate('funshop_events_consumed_total{consumer="customer"}')})`, legend: '{{event_type}}' }],
          },
        ],
      },
    ],
  );
}

export function dashboards(): Record<string, object> {
  return Object.fromEntries([requests(), events(), purchases()].map((board) => [`${(board as { uid: string }).uid}.json`, board]));
}

export function dashboardText(board: object): string {
  return `${JSON.stringify(board, null, 2)}\n`;
}

if (require.main === module) {
  mkdirSync(DASHBOARD_DIR, { recursive: true });
  for (const [file, board] of Object.entries(dashboards())) {
    writeFileSync(resolve(DASHBOARD_DIR, file), dashboardText(board));
    console.log(`wrote grafana/dashboards/${file}`);
  }
}
