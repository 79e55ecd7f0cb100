import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createLogger } from '@funshop/platform/logger';
import sirv from 'sirv';
import { devSignInHandler } from './dev-sign-in';
import { sendJson, sendStatus } from './responses';
import { storefrontSettings } from './settings';

/**
 * The storefront's server: the built app's files, behind Envoy on the shop's own origin. Static
 * files only, so no framework: sirv (the file server Vite's own preview uses) serves them.
 *   /                 and /shop/…   index.html (the app routes in the browser), never cached
 *   /assets/…         the hashed bundles, cached for a year
 *   /shop/config.json how to sign in here
 *   /dev/token        development sign-in, when STOREFRONT_DEV_SIGN_IN=true
 *   /healthz          for Envoy's health check and the kubelet's probes
 */
async function main(): Promise<void> {
  const settings = storefrontSettings();
  const logger = createLogger('storefront');
  const assets = sirv(settings.webRoot, { immutable: true, maxAge: 31_536_000, etag: true, gzip: false });
  const pages = sirv(settings.webRoot, { etag: true, setHeaders: (response) => response.setHeader('cache-control', 'no-cache') });
  const devSignIn = settings.devSignIn ? await devSignInHandler() : undefined;
  const config = { signIn: devSignIn ? 'development' : 'token' };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    secure(response);
    const path = new URL(request.url ?? '/', 'http://storefront').pathname;
    const notFound = () => sendStatus(response, 404, 5, 'no such page');
    if (path === '/healthz') return sendJson(response, 200, { status: 'SERVING' });
    if (path === '/dev/token' && devSignIn) {
      devSignIn(request, response).catch((error: Error) => {
        logger.error({ err: error }, 'development sign-in failed');
        sendStatus(response, 500, 13, 'sign-in failed');
      });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendStatus(response, 405, 12, 'this path takes GET', { allow: 'GET, HEAD' });
    if (path === '/shop/config.json') return sendJson(response, 200, config);
    if (path.startsWith('/assets/')) return assets(request, response, notFound);
    if (path === '/' || path === '/shop' || path.startsWith('/shop/')) {
      request.url = '/index.html';
      return pages(request, response, notFound);
    }
    notFound();
  });
  server.listen(settings.port, settings.host, () => logger.info({ port: settings.port, devSignIn: settings.devSignIn }, 'storefront serving'));

  // Like the services: stop taking new connections on SIGTERM, finish the ones in flight.
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * The app loads only its own files and calls only its own origin (the API is behind the same
 * Envoy), so the policy can be tight: no inline script, no framing, no third-party anything.
 */
function secure(response: ServerResponse): void {
  response.setHeader(
    'content-security-policy',
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  );
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('referrer-policy', 'no-referrer');
}

void main();
