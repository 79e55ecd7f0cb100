import { InvalidArgument, Unauthenticated } from '../errors';
import { firstHeader, type CallContext } from './handlers';
import { CUSTOMER_ID } from './request-rules';

/**
 * Who the caller is comes from request metadata, never from a request body a caller could forge:
 * Envoy sets it from the subject of a verified bearer token, after removing any a client sent.
 */
export const CUSTOMER_HEADER = 'x-customer-id';

export function customerIdOf(context: CallContext): string {
  const customerId = firstHeader(context.metadata, CUSTOMER_HEADER);
  if (!customerId) throw new Unauthenticated(`missing ${CUSTOMER_HEADER} header: say which customer is calling`);
  if (!CUSTOMER_ID.test(customerId)) {
    throw new Unauthenticated(`${CUSTOMER_HEADER} must be 1..64 letters, digits, '-' or '_'`);
  }
  return customerId;
}

/** The client's `idempotency-key` header, which makes a create request safe to retry. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

export function idempotencyKeyOf(context: CallContext): string | undefined {
  const key = firstHeader(context.metadata, IDEMPOTENCY_HEADER);
  if (key !== undefined && !/^[\x21-\x7e]{1,128}$/.test(key)) {
    throw InvalidArgument.of([{ field: IDEMPOTENCY_HEADER, description: 'must be 1..128 printable ASCII characters' }]);
  }
  return key;
}
