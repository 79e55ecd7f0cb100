import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Metrics } from '../src/metrics';

test('counters add up by label set; value() sums the label sets that include the labels asked for', async () => {
  const metrics = new Metrics();
  const consumed = metrics.counter('test_consumed_total', 'Consumed', ['consumer', 'event_type']);
  consumed({ consumer: 'cart', event_type: 'A' });
  consumed({ consumer: 'cart', event_type: 'B' }, 2);
  metrics.counter('test_consumed_total', 'Consumed', ['consumer', 'event_type'])({ consumer: 'customer', event_type: 'A' });
  assert.is(await metrics.value('test_consumed_total', { consumer: 'cart' }), 3);
  assert.is(await metrics.value('test_consumed_total', { event_type: 'A' }), 2);
  assert.is(await metrics.value('test_consumed_total'), 4);
  assert.is(await metrics.value('test_never_registered_total'), 0);
  assert.throws(() => consumed({ reader: 'x' }), /label/, 'a label that was not declared is a mistake, not a new series');
});

test('a histogram renders cumulative buckets, a sum and a count per label set', async () => {
  const metrics = new Metrics();
  const observe = metrics.histogram('test_seconds', 'Durations', ['method'], [0.01, 0.1, 1]);
  for (const seconds of [0.005, 0.05, 0.5, 5]) observe({ method: 'Get' }, seconds);
  const text = await metrics.render();
  assert.match(text, /# TYPE test_seconds histogram/);
  assert.match(text, /test_seconds_bucket\{le="0\.01",method="Get"\} 1\n/);
  assert.match(text, /test_seconds_bucket\{le="0\.1",method="Get"\} 2\n/);
  assert.match(text, /test_seconds_bucket\{le="1",method="Get"\} 3\n/);
  assert.match(text, /test_seconds_bucket\{le="\+Inf",method="Get"\} 4\n/);
  assert.match(text, /test_seconds_sum\{method="Get"\} 5\.555\n/);
  assert.match(text, /test_seconds_count\{method="Get"\} 4\n/);
});

test('gauges are read when scraped: one value or one per label set; a failed read is NaN; a later registration replaces an earlier one', async () => {
  const metrics = new Metrics();
  let rows = 1;
  metrics.gauge('test_rows', 'Rows', async () => [{ labels: { table: 'orders' }, value: rows }], ['table']);
  metrics.gauge('test_lag_seconds', 'Lag', async () => {
    throw new Error('database away');
  });
  rows = 7;
  let text = await metrics.render();
  assert.match(text, /test_rows\{table="orders"\} 7\n/);
  assert.match(text, /test_lag_seconds nan\n/i); // prom-client writes "Nan", which Prometheus parses as NaN
  metrics.gauge('test_lag_seconds', 'Lag', async () => 0.5);
  text = await metrics.render();
  assert.match(text, /test_lag_seconds 0\.5\n/);
  assert.is(text.match(/# TYPE test_lag_seconds gauge/g)?.length, 1);
});

test('a service’s registry carries Node’s process and event-loop metrics; a test’s need not', async () => {
  assert.match(await new Metrics({ processMetrics: true }).render(), /^process_cpu_seconds_total \d/m);
  assert.not.match(await new Metrics().render(), /process_cpu_seconds_total/);
});

test.run();
