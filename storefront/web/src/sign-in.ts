import { call } from './api/client';
import { session, type Session } from './session';

/**
 * How this shop signs customers in, as its server says (/shop/config.json):
 *   development  a customer name is enough: the storefront's server mints a development token
 *                (npm start and the tests only);
 *   token        paste a bearer token from the shop's identity provider (`npm run token` here).
 * An OpenID Connect provider would be a third way: redirect to it (authorization code + PKCE) and
 * start the session with the access token it returns; Envoy's jwt_authn then checks its JWKS
 * (README, "Sign-in").
 */
export type SignInMethod = 'development' | 'token';

export async function signInMethod(): Promise<SignInMethod> {
  const config = await call<{ signIn: SignInMethod }>('GET', '/shop/config.json');
  return config.signIn;
}

export async function signInForDevelopment(customerId: string): Promise<Session> {
  const { token } = await call<{ token: string }>('POST', '/dev/token', { body: { customerId } });
  return session.start(token);
}

export function signInWithToken(token: string): Session {
  return session.start(token.trim().replace(/^Bearer\s+/i, ''));
}
