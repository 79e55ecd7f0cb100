import { stored, useStored } from './stored';

export interface Session {
  customerId: string;
  token: string;
  /** Seconds since the epoch, from the token's `exp`. */
  expiresAt: number;
}

/** Why the last session ended, to say so on the sign-in page. */
export type EndReason = 'signed-out' | 'expired';

const current = stored<Session | null>('funshop.session', null);
let lastEnd: EndReason | undefined;

/**
 * Who is signed in: a bearer token and the customer it names. How the token is obtained is the
 * sign-in's business (sign-in.ts); every call just sends it, and Envoy verifies it.
 */
export const session = {
  current: (): Session | undefined => unexpired(current.get()),
  lastEnd: (): EndReason | undefined => lastEnd,
  start(token: string): Session {
    const claims = tokenClaims(token);
    const value: Session = { customerId: claims.sub, token, expiresAt: claims.exp };
    lastEnd = undefined;
    current.set(value);
    return value;
  },
  end(reason: EndReason): void {
    lastEnd = reason;
    current.set(null);
  },
};

/** The signed-in customer's session, re-rendering on sign-in and sign-out. */
export function useSession(): Session | undefined {
  return unexpired(useStored(current));
}

/** A stored session counts until its token expires. */
function unexpired(value: Session | null): Session | undefined {
  return value && value.expiresAt * 1000 > Date.now() ? value : undefined;
}

/**
 * The token's subject and expiry, read (not verified: Envoy verifies) to know whose my page and
 * cart to ask for.
 */
export function tokenClaims(token: string): { sub: string; exp: number } {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('this is not a JSON Web Token');
  const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown; exp?: unknown };
  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') throw new Error('the token names no customer or no expiry');
  return { sub: claims.sub, exp: claims.exp };
}
