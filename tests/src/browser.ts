import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { REPO_ROOT } from '@funshop/tools/layout';

/** Where the storefront suite writes its screenshots (the README shows copies of them, docs/images/). */
export const SCREENSHOTS = resolve(REPO_ROOT, '.run/screenshots');

/**
 * Debian's Chromium (scripts/infra.sh installs it), headless, driven by Playwright. The flags keep
 * it off the network it cannot reach here (background updates, sync, QUIC) and let it run as root.
 */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A browser window of one person: its own storage (so its own session), a laptop-sized viewport. */
export function newVisitor(browser: Browser, baseURL: string, viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport });
}
