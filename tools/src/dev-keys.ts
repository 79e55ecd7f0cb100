import { createPrivateKey, createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from './layout';

/**
 * The development signing key of the edge: Envoy verifies bearer tokens against the public half
 * (a local JWKS file), `npm run token` signs with the private half. Made on first use under .run/,
 * never committed; a real deployment mounts its identity provider's JWKS instead.
 */
export const JWT_DIR = resolve(REPO_ROOT, '.run/jwt');
export const JWKS_PATH = resolve(JWT_DIR, 'jwks.json');
const PRIVATE_KEY_PATH = resolve(JWT_DIR, 'private.pem');
const KID_PATH = resolve(JWT_DIR, 'kid');

export const JWT_ISSUER = 'https://funshop.dev';
export const JWT_AUDIENCE = 'funshop';

export function ensureDevKeys(): { privateKey: KeyObject; kid: string } {
  if (!existsSync(PRIVATE_KEY_PATH) || !existsSync(JWKS_PATH) || !existsSync(KID_PATH)) {
    mkdirSync(JWT_DIR, { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomUUID();
    writeFileSync(PRIVATE_KEY_PATH, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(JWKS_PATH, JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] }, null, 2));
    writeFileSync(KID_PATH, kid);
  }
  return { privateKey: createPrivateKey(readFileSync(PRIVATE_KEY_PATH)), kid: readFileSync(KID_PATH, 'utf8').trim() };
}

/** An RS256 token whose subject is the customer; what a real identity provider would issue. */
export function mintToken(customerId: string, options: { ttlSeconds?: number; now?: number } = {}): string {
  const { privateKey, kid } = ensureDevKeys();
  const issuedAt = Math.floor((options.now ?? Date.now()) / 1000);
  const header = { alg: 'RS256', typ: 'JWT', kid };
  const claims = { iss: JWT_ISSUER, aud: JWT_AUDIENCE, sub: customerId, iat: issuedAt, exp: issuedAt + (options.ttlSeconds ?? 3600) };
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
