import { InvalidArgument, type FieldViolation } from '../errors';

/**
 * The bounds of a contract's request fields, checked before its handler runs, and so before any
 * lookup: identifiers have an alphabet and a length, free texts a length and no control
 * characters, page tokens the alphabet they are issued in. A violation names the field and says
 * what it must be; it never quotes the value, so no input reaches an error message, a
 * grpc-message trailer or a log line whole.
 *
 * Each contract declares its rules once, beside its gRPC adapter (`adapters/in/request-rules.ts`),
 * and `GrpcServer.add` applies them. protovalidate annotations in the protos would be the
 * toolchain's own way; their module lives on buf's registry, which this project cannot reach.
 */
export type RequestRules<Request> = (request: Request) => FieldViolation[];

export const IDENTIFIER_MAX = 64;
/** Product, order and payment ids: letters and digits first, then also `.`, `_`, `:` and `-`. */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
/** Who a customer is: the same alphabet the edge takes from a token's subject. */
export const CUSTOMER_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const PAGE_TOKEN_MAX = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export function identifier(field: string, value: string, options: { required?: boolean } = {}): FieldViolation[] {
  if (!value) return (options.required ?? true) ? [{ field, description: 'is required' }] : [];
  if (value.length > IDENTIFIER_MAX) return [{ field, description: `must be at most ${IDENTIFIER_MAX} characters` }];
  if (!IDENTIFIER.test(value)) return [{ field, description: "may hold letters, digits, '.', '_', ':' and '-' only, starting with a letter or digit" }];
  return [];
}

export function customerId(field: string, value: string): FieldViolation[] {
  if (!value) return [{ field, description: 'is required' }];
  return CUSTOMER_ID.test(value) ? [] : [{ field, description: "must be 1..64 letters, digits, '-' or '_'" }];
}

/** Free text: at most `max` characters (code points) and no control characters. */
export function text(field: string, value: string, max: number): FieldViolation[] {
  if ([...value].length > max) return [{ field, description: `must be at most ${max} characters` }];
  return CONTROL_CHARACTERS.test(value) ? [{ field, description: 'must not hold control characters' }] : [];
}

/** An optional page token: empty, or what a service issues (base64url, bounded). */
export function pageToken(field: string, value: string): FieldViolation[] {
  if (!value) return [];
  if (value.length > PAGE_TOKEN_MAX || !BASE64URL.test(value)) return [{ field, description: 'is not a token this service issued' }];
  return [];
}

/**
 * funshop.payment.v1.Card, which two contracts carry (order's PayOrder, payment's
 * AuthorizePayment): its bounds, declared once. Whether the number passes Luhn and the card has
 * not expired is the payment domain's to say.
 */
export function card(field: string, value: { number: string; cvc: string; holderName: string } | undefined): FieldViolation[] {
  if (!value) return [];
  return [
    ...(/^[0-9 ]{0,23}$/.test(value.number) ? [] : [{ field: `${field}.number`, description: 'must be at most 19 digits, spaces allowed' }]),
    ...(/^[0-9]{0,4}$/.test(value.cvc) ? [] : [{ field: `${field}.cvc`, description: 'must be at most 4 digits' }]),
    ...text(`${field}.holder_name`, value.holderName, 100),
  ];
}

/** Throws INVALID_ARGUMENT with every violation the rules find, or returns. */
export function check<Request>(rules: RequestRules<Request>, request: Request): void {
  const violations = rules(request);
  if (violations.length > 0) throw InvalidArgument.of(violations);
}
