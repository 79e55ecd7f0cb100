import { randomBytes } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OBSERVABILITY, TEST } from '@funshop/tools/layout';
import { ancestry, serviceOf, wholeTrace } from './jaeger';
import { as, rest, uniqueCustomer } from './shop';

// One purchase, as Jaeger (the OTLP receiver and trace store scripts/infra.sh runs) shows it: the
// test plays the storefront, whose span is the root; Envoy continues its W3C trace context, the
// services continue Envoy's, and the events carry it through the outbox and RabbitMQ to every
// consumer. Everything must read as one connected trace, in causal order.

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Sends the storefront's own span (the trace's root) to Jaeger over OTLP/HTTP JSON. */
async function exportRootSpan(traceId: string, spanId: string, startedMs: number): Promise<void> {
  const nanos = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'storefront-test' } }] },
        scopeSpans: [
          {
            scope: { name: 'funshop-tests' },
            spans: [{ traceId, spanId, name: 'purchase', kind: 3, startTimeUnixNano: nanos(startedMs), endTimeUnixNano: nanos(Date.now()) }],
          },
        ],
      },
    ],
  };
  const response = await fetch(`${OBSERVABILITY.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.is(response.status, 200, await response.text());
}

test('a purchase through Envoy is one connected trace across every service and the broker', async () => {
  const traceId = hex(16);
  const rootSpanId = hex(8);
  const traceparent = { traceparent: `00-${traceId}-${rootSpanId}-01` };
  const started = Date.now();
  const customer = uniqueCustomer();
  const placed = await rest('POST', '/orders', { body: { items: [{ productId: 'desk-lamp', quantity: 1 }] }, headers: { ...as(customer), ...traceparent } });
  assert.is(placed.status, 200, placed.text);
  const orderId = placed.body.order.orderId as string;
  const card = { number: '4242 4242 4242 4242', expiryMonth: 12, expiryYear: 2099, cvc: '123', holderName: 'Kim Funshop' };
  const paid = await rest('POST', `/orders/${orderId}:pay`, { body: { card }, headers: { ...as(customer), ...traceparent } });
  assert.is(paid.status, 200, paid.text);
  await exportRootSpan(traceId, rootSpanId, started);

  // Connected: every span but the root has its parent in the trace (the spans reach Jaeger in
  // batches, every few seconds from each process: waited for until the trace is whole).
  const trace = await wholeTrace(OBSERVABILITY.jaegerUi, traceId, rootSpanId, 30_000);

  // Causal order: the cart's handling of OrderPaid descends, through RabbitMQ and the order's
  // outbox, from the PayOrder call that Envoy received from the storefront.
  const handled = trace.spans.find((span) => serviceOf(trace, span) === 'cart' && span.operationName === 'cart handle OrderPaid')!;
  const chain = ancestry(trace, handled);
  const path = chain.map((span) => serviceOf(trace, span));
  assert.is(chain.at(-1)!.spanID, rootSpanId, `the chain ends at the storefront's span: ${path.join(' ← ')}`);
  const hops = path.filter((service, i) => service !== path[i - 1]);
  assert.equal(hops, ['cart', 'order', 'envoy', 'storefront-test'], `the hops from the cart back to the storefront: ${path.join(' ← ')}`);
  assert.ok(
    chain.some((span) => /publish/.test(span.operationName)) && chain.some((span) => /process/.test(span.operationName)),
    'the hop through RabbitMQ is traced',
  );
  for (let i = 0; i + 1 < chain.length; i++) {
    assert.ok(chain[i].startTime >= chain[i + 1].startTime, `${chain[i].operationName} starts after its parent ${chain[i + 1].operationName}`);
  }

  // The test shop's spans say which shop they came from.
  const orderSpan = trace.spans.find((span) => serviceOf(trace, span) === 'order')!;
  const tags = trace.processes[orderSpan.processID].tags;
  assert.ok(
    tags.some((tag) => tag.key === 'deployment.environment.name' && tag.value === TEST.name),
    JSON.stringify(tags),
  );
});

test.run();
