import type { ServerResponse } from 'node:http';

/** JSON that is never cached: the config, a token. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

/**
 * An error in the API's own shape, a `google.rpc.Status` (code is the gRPC code), so the app
 * reads the storefront server's errors exactly as it reads the services'.
 */
export function sendStatus(
  response: ServerResponse,
  httpStatus: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
  details: object[] = [],
): void {
  sendJson(response, httpStatus, { code, message, details }, headers);
}
