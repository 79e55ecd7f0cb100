import type { IncomingMessage, ServerResponse } from 'node:http';
import { customerId as customerIdRule } from '@funshop/platform/grpc/request-rules';
import { sendJson, sendStatus } from './responses';

const TOKEN_TTL_SECONDS = 8 * 3600;
const MAX_BODY_BYTES = 1024;
/** tools/src/dev-keys.ts: the development key Envoy trusts, and `npm run token`'s signing. */
const DEV_KEYS_MODULE = '@funshop/tools/dev-keys';

/**
 * POST /dev/token {"customerId"}: a bearer token for that customer, signed with the development key
 * that Envoy trusts (`npm run token` in a browser). Only `npm start` and the tests switch it on; the
 * signing code lives in the tools workspace, a dev dependency, so a production image cannot run it.
 * A real deployment signs in with its identity provider instead (README, "Sign-in").
 */
export async function devSignInHandler(): Promise<(request: IncomingMessage, response: ServerResponse) => Promise<void>> {
  // Loaded by name at run time, not compiled against: the image's build leaves the tools out.
  const { mintToken } = (await import(DEV_KEYS_MODULE)) as { mintToken: (customerId: string, options: { ttlSeconds: number }) => string };
  return async (request, response) => {
    if (request.method !== 'POST') return sendStatus(response, 405, 12, 'this path takes POST', { allow: 'POST' });
    let body: unknown;
    try {
      body = JSON.parse(await readBody(request));
    } catch (error) {
      return sendStatus(response, 400, 3, (error as Error).message === 'too large' ? 'the body is too large' : 'the body is not JSON');
    }
    const customerId = (body as { customerId?: unknown } | null)?.customerId;
    // The services' own rule for a customer id, so a name signed in here is one they accept.
    const violations = customerIdRule('customerId', typeof customerId === 'string' ? customerId : '');
    if (typeof customerId !== 'string' || violations.length > 0) {
      return sendStatus(response, 400, 3, `customerId: ${violations[0].description}`, {}, [
        { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations },
      ]);
    }
    sendJson(response, 200, { token: mintToken(customerId, { ttlSeconds: TOKEN_TTL_SECONDS }), expiresIn: TOKEN_TTL_SECONDS });
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY_BYTES) {
        reject(new Error('too large'));
        request.destroy();
      }
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}
