import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mintToken } from '@funshop/tools/dev-keys';
import { launchChromium } from '../browser';
import { restAt, uniqueCustomer } from '../shop';
import { edge } from './cluster';

/**
 * The storefront as the cluster serves it: its own Deployment behind the cluster's Envoy, on the
 * same origin as the API. No development sign-in there: a customer brings a token of the
 * identity provider (here the development key, which the local overlay's edge trusts).
 */
test('the storefront through the cluster’s Envoy: files, no development sign-in, and an order placed in a browser', async () => {
  const { url } = await edge();
  const page = await fetch(`${url}/`);
  assert.is(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  const html = await page.text();
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(script, 'the page loads its bundle');
  const bundle = await fetch(`${url}${script}`);
  assert.is(bundle.status, 200);
  assert.match(bundle.headers.get('cache-control') ?? '', /immutable/);
  assert.equal((await restAt(url, 'GET', '/shop/config.json')).body, { signIn: 'token' });
  const devSignIn = await restAt(url, 'POST', '/dev/token', { body: { customerId: 'mallory' } });
  assert.is(devSignIn.status, 404, 'no development sign-in in the cluster');
  assert.not.ok(devSignIn.body?.token);

  const browser = await launchChromium();
  try {
    const customer = uniqueCustomer();
    const tab = await (await browser.newContext({ baseURL: url })).newPage();
    await tab.goto('/shop/sign-in');
    await tab.getByLabel('Bearer token').fill(mintToken(customer));
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.getByText(`Signed in as ${customer}`).waitFor();
    // The node's address is not a secure origin: the app must not need one (idempotency keys).
    assert.is(await tab.evaluate<boolean>('window.isSecureContext'), false);
    await tab.getByRole('article').filter({ hasText: 'Wireless mouse' }).getByRole('button', { name: 'Add to order' }).click();
    await tab.getByRole('button', { name: 'Place order' }).click();
    await tab.waitForURL(/\/shop\/orders\//);
    await tab.getByText('Up to date.').waitFor({ timeout: 60_000 });
    assert.match(await tab.locator('.progress dl').innerText(), /Order\s+Awaiting payment\s+Payment\s+Not paid\s+Cart\s+Awaiting payment/);
  } finally {
    await browser.close();
  }
});

test.run();
