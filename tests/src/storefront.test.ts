import { resolve } from 'node:path';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TEST } from '@funshop/tools/layout';
import { SCREENSHOTS, launchChromium, newVisitor } from './browser';
import { EDGE, faultSwitch, uniqueCustomer } from './shop';

/**
 * The storefront in a real browser against the test shop: the seed's scenario as a customer clicks
 * through it, through Envoy, the services, the broker and the databases. Playwright waits for what
 * a person would see (a text, a state); nothing here sleeps.
 */
const storefront = suite<{ browser: Browser }>('storefront');
const customerFaultSwitch = (method: 'POST' | 'DELETE') => faultSwitch(TEST.services.find((s) => s.name === 'customer')!.metricsPort, method);

storefront.before(async (context) => {
  context.browser = await launchChromium();
});
storefront.after(async ({ browser }) => {
  await customerFaultSwitch('DELETE');
  await browser?.close();
});

async function signIn(browser: Browser, customer: string, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await (await newVisitor(browser, EDGE, viewport)).newPage();
  await page.goto('/shop/sign-in');
  await page.getByLabel('Customer name').fill(customer);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${customer}`).waitFor();
  return page;
}

/** Chooses products on the catalog's first page and places them as one order; its id, from the order page's address. */
async function placeOrder(page: Page, choices: Record<string, number>): Promise<string> {
  await page.goto('/');
  for (const [name, quantity] of Object.entries(choices)) {
    await page.getByLabel(`Quantity of ${name}`, { exact: true }).fill(String(quantity));
    await page.getByRole('article').filter({ hasText: name }).getByRole('button', { name: 'Add to order' }).click();
    await page.getByLabel(`Quantity of ${name} in your order`).waitFor();
  }
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/shop\/orders\/[^/]+$/);
  await page.getByRole('heading', { name: 'Order', exact: true }).waitFor();
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
}

async function pay(page: Page, number: string): Promise<void> {
  await page.getByLabel('Card number').fill(number);
  await page.getByLabel('Expiry month (MM)').fill('12');
  await page.getByLabel('Expiry year (YYYY)').fill('2099');
  await page.getByLabel('CVC').fill('123');
  await page.getByRole('button', { name: 'Pay now' }).click();
}

/** The my page's entry of an order, once its order, payment and cart states read as given. */
async function myPageShows(page: Page, orderId: string, states: { order: string; payment: string; cart: string }): Promise<void> {
  const entry = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: `Order ${orderId.slice(0, 8)}` }) });
  await entry
    .locator('dd', { hasText: new RegExp(`^${states.order}$`) })
    .first()
    .waitFor();
  await entry.locator('dd', { hasText: new RegExp(`^${states.payment}$`) }).waitFor();
  await entry
    .locator('dd', { hasText: new RegExp(`^${states.cart}$`) })
    .last()
    .waitFor();
}

storefront('a visitor browses the catalog in won with stock, a page at a time, and opens a product', async ({ browser }) => {
  const page = await (await newVisitor(browser, EDGE)).newPage();
  await page.goto('/');
  await page.getByRole('heading', { name: 'Catalog' }).waitFor();
  const products = page.getByRole('article');
  await products.first().waitFor();
  assert.is(await products.count(), 6, 'six products a page');
  const lamp = products.filter({ hasText: 'LED desk lamp' });
  assert.match(await lamp.innerText(), /₩[\d,]+/);
  assert.match(await lamp.innerText(), /\d+ in stock/);
  await page.screenshot({ path: resolve(SCREENSHOTS, 'storefront-catalog.png'), fullPage: true });

  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2').waitFor();
  await products.filter({ hasText: 'Full HD webcam' }).waitFor();
  assert.ok(await page.getByRole('button', { name: 'Next page' }).isDisabled(), 'the last page has no next');
  await page.getByRole('button', { name: 'Previous page' }).click();
  await lamp.getByRole('link', { name: 'LED desk lamp' }).click();
  await page.getByRole('heading', { level: 1, name: 'LED desk lamp' }).waitFor();
  assert.is(new URL(page.url()).pathname, '/shop/products/desk-lamp');
  // The storefront's own pages load by address too (Envoy sends /shop/… to its server).
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'LED desk lamp' }).waitFor();
});

storefront('the seven requirements, clicked through: order, cart, a declined card, pay, complete, cancel, refund, my page', async ({ browser }) => {
  const customer = uniqueCustomer();
  const page = await signIn(browser, customer);
  // 1. A customer chooses products and places an order.
  const orderId = await placeOrder(page, { 'LED desk lamp': 2, 'Wireless mouse': 1 });
  await page.getByText('Awaiting payment').first().waitFor();
  assert.match(await page.locator('table.lines').innerText(), /LED desk lamp\s+2/);
  // 2. The products go into the cart and wait for payment.
  await page.getByRole('link', { name: 'Cart' }).click();
  const cartRows = page.getByRole('row').filter({ has: page.getByRole('link', { name: `Order ${orderId}` }) });
  await cartRows.filter({ hasText: 'LED desk lamp' }).getByText('Awaiting payment').waitFor();
  await cartRows.filter({ hasText: 'Wireless mouse' }).getByText('Awaiting payment').waitFor();
  await page.screenshot({ path: resolve(SCREENSHOTS, 'storefront-cart.png'), fullPage: true });

  // 3. The customer pays: first with a card the gateway declines, shown with its reason, then again.
  await cartRows
    .first()
    .getByRole('link', { name: `Order ${orderId}` })
    .click();
  await page.getByRole('button', { name: 'Pay now' }).waitFor();
  await pay(page, '4000 0000 0000 0002');
  await page.getByRole('alert').filter({ hasText: 'Payment declined: card declined.' }).waitFor();
  await page.getByText('Your last payment was declined: card declined').waitFor();
  await page.screenshot({ path: resolve(SCREENSHOTS, 'storefront-order.png'), fullPage: true });
  await pay(page, '4242 4242 4242 4242');
  await page.getByText('Paid. Thank you!').waitFor();
  // 4. Approved: the cart's products become "order completed" (the order page follows the my page).
  await page.getByText('Up to date.').waitFor();
  assert.match(await page.locator('.progress dl').innerText(), /Order\s+Paid\s+Payment\s+Approved\s+Cart\s+Order completed/);
  await page.getByRole('link', { name: 'Cart' }).click();
  await cartRows.filter({ hasText: 'LED desk lamp' }).getByText('Order completed').waitFor();
  await cartRows.filter({ hasText: 'Wireless mouse' }).getByText('Order completed').waitFor();
  // 7. The my page shows each order's order, payment and cart states, and the support reference.
  await page.getByRole('link', { name: 'My page' }).click();
  await myPageShows(page, orderId, { order: 'Paid', payment: 'Approved', cart: 'Order completed' });
  assert.match(await page.locator('.my-order').first().innerText(), /Support reference\s+\S{8,}/);
  await page.screenshot({ path: resolve(SCREENSHOTS, 'storefront-my-page.png'), fullPage: true });

  // 5. The customer cancels; 6. the payment is refunded and the cart cancels.
  await page.getByRole('link', { name: `Order ${orderId.slice(0, 8)}` }).click();
  await page.getByLabel('Reason (optional)').fill('changed my mind');
  await page.getByRole('button', { name: 'Cancel order' }).click();
  await page.getByText('Cancelled: changed my mind. The payment is refunded.').waitFor();
  await page.getByRole('link', { name: 'My page' }).click();
  await myPageShows(page, orderId, { order: 'Cancelled', payment: 'Refunded', cart: 'Cancelled' });
  await page.getByText('Up to date.').waitFor();
  await page.getByRole('link', { name: 'Cart' }).click();
  await cartRows.filter({ hasText: 'LED desk lamp' }).getByText('Cancelled').waitFor();
  await page
    .getByRole('listitem')
    .filter({ hasText: `Order ${orderId.slice(0, 8)} cancelled` })
    .filter({ hasText: 'changed my mind' })
    .waitFor();
});

storefront("the shop's field violations stand next to their fields", async ({ browser }) => {
  const page = await signIn(browser, uniqueCustomer());
  await placeOrder(page, { 'Mechanical keyboard': 1 });
  await pay(page, '4242 4242 4242 4241');
  const number = page.getByLabel('Card number');
  await page.getByText('Is not a valid card number (Luhn check failed).').waitFor();
  assert.is(await number.getAttribute('aria-invalid'), 'true');
  const describedBy = (await number.getAttribute('aria-describedby'))!;
  assert.is(await page.locator(`#${describedBy}`).innerText(), 'Is not a valid card number (Luhn check failed).', 'the error is tied to its field');
  await page.getByRole('alert').filter({ hasText: 'Please correct the fields marked below.' }).waitFor();

  // The declined card of the seven requirements' test is the 409: "Payment declined: card declined."
  await page.getByRole('button', { name: 'Cancel order' }).click();
  await page.getByText('Cancelled.').waitFor();
  assert.is(await page.getByRole('button', { name: 'Cancel order' }).count(), 0, 'a cancelled order offers no cancel');
});

storefront("one customer cannot see another's orders", async ({ browser }) => {
  const alice = await signIn(browser, uniqueCustomer());
  const orderId = await placeOrder(alice, { 'Noise-cancelling headset': 1 });
  const bob = await signIn(browser, uniqueCustomer());
  await bob.goto(`/shop/orders/${encodeURIComponent(orderId)}`);
  await bob.getByRole('alert').filter({ hasText: 'There is nothing here, or it is not yours.' }).waitFor();
  await bob.goto('/shop/my-page');
  await bob.getByText('No orders yet.').waitFor();
  assert.is(await bob.getByText(orderId.slice(0, 8)).count(), 0);
});

storefront('a busy shop says "try again", and the page recovers by itself once it is back', async ({ browser }) => {
  const page = await signIn(browser, uniqueCustomer());
  assert.is((await customerFaultSwitch('POST')).status, 204);
  try {
    await page.getByRole('link', { name: 'My page' }).click();
    await page.getByRole('alert').filter({ hasText: 'The shop is busy right now. Try again in a moment.' }).waitFor();
  } finally {
    assert.is((await customerFaultSwitch('DELETE')).status, 204);
  }
  await page.getByText('No orders yet.').waitFor();
  assert.is(await page.getByRole('alert').count(), 0, 'the error is gone once the shop answers');
});

storefront('without a token, pages that need one ask to sign in and come back after it', async ({ browser }) => {
  const page = await (await newVisitor(browser, EDGE)).newPage();
  await page.goto('/shop/my-page');
  await page.getByRole('link', { name: 'Sign in', exact: true }).last().click();
  const customer = uniqueCustomer();
  await page.getByLabel('Customer name').fill(customer);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My page' }).waitFor();
  assert.is(new URL(page.url()).pathname, '/shop/my-page');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
});

/**
 * What axe-core (the engine behind most accessibility checkers) finds against WCAG 2 A and AA on
 * the page as it stands: missing labels and names, contrast, landmarks, ARIA misuse. Evaluated
 * through the browser's debugging protocol, which the page's CSP does not govern.
 */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const results = await page.evaluate<{ violations: { id: string; nodes: { target: string[] }[] }[] }>(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
  );
  return results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

storefront('every page passes axe-core’s WCAG 2.1 A and AA checks (labels, names, contrast, structure)', async ({ browser }) => {
  const page = await signIn(browser, uniqueCustomer());
  const orderId = await placeOrder(page, { 'Aluminium laptop stand': 1 });
  await page.getByText('Up to date.').waitFor();
  await pay(page, '4000 0000 0000 0002');
  await page.getByRole('alert').first().waitFor();
  const pages: [string, () => Promise<unknown>][] = [
    [`order ${orderId}, a declined card`, async () => undefined],
    [
      'catalog with a chosen product',
      async () => {
        await page.goto('/');
        await page.getByRole('article').first().getByRole('button', { name: 'Add to order' }).click();
        await page.getByRole('button', { name: 'Place order' }).waitFor();
      },
    ],
    [
      'product',
      async () => {
        await page.goto('/shop/products/monitor-27');
        await page.getByRole('heading', { level: 1, name: '27-inch monitor' }).waitFor();
      },
    ],
    [
      'cart',
      async () => {
        await page.getByRole('link', { name: 'Cart' }).click();
        await page.getByRole('table').waitFor();
      },
    ],
    [
      'my page',
      async () => {
        await page.getByRole('link', { name: 'My page' }).click();
        await page.getByText('Up to date.').waitFor();
      },
    ],
    [
      'sign-in',
      async () => {
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByLabel('Customer name').waitFor();
      },
    ],
  ];
  for (const [name, open] of pages) {
    await open();
    assert.equal(await accessibilityViolations(page), [], name);
  }
});

storefront('on a phone-sized screen every page fits the width, and the keyboard reaches the order button', async ({ browser }) => {
  const page = await signIn(browser, uniqueCustomer(), { width: 390, height: 844 });
  await page.goto('/');
  await page.getByRole('article').first().waitFor();
  await page.getByRole('article').first().getByRole('button', { name: 'Add to order' }).click();
  await page.screenshot({ path: resolve(SCREENSHOTS, 'storefront-phone.png'), fullPage: true });
  for (const path of ['/', '/shop/cart', '/shop/my-page']) {
    await page.goto(path);
    await page.locator('main h1').waitFor();
    const [scrollWidth, width] = await page.evaluate<[number, number]>('[document.documentElement.scrollWidth, window.innerWidth]');
    assert.ok(scrollWidth <= width, `${path} is ${scrollWidth}px wide in a ${width}px screen`);
  }
  // Tab from the top of the page until the order button has the focus: everything on the way is reachable.
  await page.goto('/');
  await page.getByRole('button', { name: 'Place order' }).waitFor();
  let focused = '';
  for (let presses = 0; presses < 60 && focused !== 'Place order'; presses++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate<string>("document.activeElement?.textContent ?? ''");
  }
  assert.is(focused, 'Place order', 'the order button is reachable by keyboard');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/shop\/orders\//);
});

storefront.run();
