/**
 * Errors that domain and application code throw to say what went wrong in business terms. They are
 * free of any framework; the gRPC adapter maps each kind to its status code (grpc/status.ts).
 */

export interface FieldViolation {
  /** Path of the offending field in the request, e.g. "items[2].quantity". */
  field: string;
  description: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: 'invalid-argument' | 'unauthenticated' | 'not-found' | 'failed-precondition' | 'concurrent-modification' | 'unavailable';

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request itself is wrong, whatever the state of the system. */
export class InvalidArgument extends DomainError {
  readonly kind = 'invalid-argument';
  constructor(
    message: string,
    readonly violations: FieldViolation[] = [],
  ) {
    super(message);
  }

  static of(violations: FieldViolation[]): InvalidArgument {
    return new InvalidArgument(violations.map((v) => `${v.field}: ${v.description}`).join('; '), violations);
  }
}

/** The caller did not say who they are. */
export class Unauthenticated extends DomainError {
  readonly kind = 'unauthenticated';
}

export class NotFound extends DomainError {
  readonly kind = 'not-found';
}

/** The request is well formed but the system is not in a state that allows it. */
export class FailedPrecondition extends DomainError {
  readonly kind = 'failed-precondition';
}

/** Someone else changed the same aggregate first; re-read and try again. */
export class ConcurrentModification extends DomainError {
  readonly kind = 'concurrent-modification';
}

/** A dependency is down; trying again later may succeed. */
export class Unavailable extends DomainError {
  readonly kind = 'unavailable';
}
