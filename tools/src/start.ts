import { DEVELOPMENT, OBSERVABILITY, instances, withReplicas } from './layout';
import { Supervisor } from './supervisor';

/** `npm start`: the whole shop on the documented ports, until Ctrl-C. */
async function main(): Promise<void> {
  const supervisor = new Supervisor(withReplicas(DEVELOPMENT), { echoLogs: process.env.FUNSHOP_QUIET !== '1' });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\n[supervisor] stopping the shop (services drain first)…');
    await supervisor.stop();
    console.log('[supervisor] stopped. MariaDB, PostgreSQL, RabbitMQ, Jaeger and Prometheus keep running: `npm run infra -- down` stops them.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  try {
    await supervisor.start();
  } catch (error) {
    console.error(`[supervisor] ${(error as Error).message}`);
    await supervisor.stop();
    process.exit(1);
  }
  console.log(banner());
}

function banner(): string {
  const rows = [
    ['The storefront (a browser)', `http://127.0.0.1:${DEVELOPMENT.envoyPort}/`],
    ['Envoy: REST and gRPC', `http://127.0.0.1:${DEVELOPMENT.envoyPort}`],
    ['API docs (Swagger UI)', `http://127.0.0.1:${DEVELOPMENT.envoyPort}/docs/`],
    ['Traces (Jaeger)', OBSERVABILITY.jaegerUi],
    ['Metrics and alerts (Prometheus)', OBSERVABILITY.prometheusUi],
    ['Envoy: service to service', `127.0.0.1:${DEVELOPMENT.envoyInternalPort}`],
    ['Envoy admin', `http://127.0.0.1:${DEVELOPMENT.envoyAdminPort}`],
    ["The storefront's server (behind Envoy)", `http://127.0.0.1:${DEVELOPMENT.storefrontPort}`],
    ...withReplicas(DEVELOPMENT)
      .services.flatMap(instances)
      .flatMap((s) => [
        [`${s.name} service (gRPC)`, `127.0.0.1:${s.grpcPort}`],
        [`${s.name} metrics`, `http://127.0.0.1:${s.metricsPort}/metrics`],
      ]),
    ['MariaDB', '127.0.0.1:3306'],
    ['PostgreSQL', '127.0.0.1:5432'],
    ['RabbitMQ (AMQP)', '127.0.0.1:5672'],
  ];
  const width = Math.max(...rows.map(([what]) => what.length));
  const order = DEVELOPMENT.services.find((s) => s.name === 'order')!.grpcPort;
  return [
    '',
    `Funshop is up. Shop in a browser: http://127.0.0.1:${DEVELOPMENT.envoyPort}/ (sign in with any customer name)`,
    '',
    ...rows.map(([what, where]) => `  ${what.padEnd(width)}  ${where}`),
    '',
    'Try (everything but /products needs a bearer token):',
    `  curl -s http://127.0.0.1:${DEVELOPMENT.envoyPort}/products`,
    `  export AUTH="authorization: Bearer $(npm run -s token -- alice)"`,
    `  curl -s -X POST http://127.0.0.1:${DEVELOPMENT.envoyPort}/orders -H "$AUTH" \\`,
    `       -d '{"items":[{"productId":"keyboard-mech","quantity":1}]}'`,
    `  curl -s http://127.0.0.1:${DEVELOPMENT.envoyPort}/orders -H "$AUTH"`,
    `  curl -s -X POST http://127.0.0.1:${DEVELOPMENT.envoyPort}/orders/<orderId>:pay -H "$AUTH" \\`,
    `       -d '{"card":{"number":"4242424242424242","expiryMonth":12,"expiryYear":2030,"cvc":"123"}}'`,
    `  curl -s http://127.0.0.1:${DEVELOPMENT.envoyPort}/carts/alice -H "$AUTH"`,
    `  curl -s http://127.0.0.1:${DEVELOPMENT.envoyPort}/mypages/alice -H "$AUTH"`,
    `  grpcurl -plaintext 127.0.0.1:${order} list`,
    `  curl -s http://127.0.0.1:${DEVELOPMENT.services[0].metricsPort}/metrics | grep funshop_`,
    `  npm run dlq -- list <consumer>`,
    '',
    `Logs: ${DEVELOPMENT.runDir}/<name>.log. Ctrl-C stops the shop.`,
    '',
  ].join('\n');
}

void main();
