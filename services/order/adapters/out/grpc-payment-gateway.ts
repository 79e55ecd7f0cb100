import { Metadata, credentials, status, type ServiceError } from '@grpc/grpc-js';
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
} from 'cockatiel';
import { ConcurrentModification, FailedPrecondition, InvalidArgument, NotFound, Unavailable, type FieldViolation } from '@funshop/platform/errors';
import { CORRELATION_HEADER, type ObserveCall } from '@funshop/platform/grpc/handlers';
import { CUSTOMER_HEADER } from '@funshop/platform/grpc/identity';
import type { Logger } from '@funshop/platform/logger';
import type { Metrics } from '@funshop/platform/metrics';
import { currentContext } from '@funshop/platform/request-context';
import { BadRequest } from '@funshop/proto/google/rpc/error_details';
import { Status } from '@funshop/proto/google/rpc/status';
import { PaymentServiceClient, PaymentServiceService, PaymentStatus, type AuthorizePaymentResponse } from '@funshop/proto/funshop/payment/v1/payment';
import type { CardDetails, PaymentGateway, PaymentResult } from '../../app/ports';

export interface PaymentGatewayOptions {
  address: string;
  /** Deadline of one call to the payment service. */
  timeoutMs: number;
  /** Consecutive failures that open the circuit. */
  breakerThreshold: number;
  /** How long the circuit stays open before one trial call (half-open). */
  halfOpenAfterMs: number;
}

/** Failures that say the payment service is down or overloaded, not that the request is wrong. */
const isOutage = (error: unknown) =>
  error instanceof Error && [status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.RESOURCE_EXHAUSTED].includes((error as ServiceError).code);

/**
 * The payment service over gRPC, behind a cockatiel policy: each call has a deadline; an
 * UNAVAILABLE answer is retried once after a short backoff; consecutive outages open the circuit,
 * and while it is open PayOrder fails at once with UNAVAILABLE and no call reaches payment. After
 * the half-open delay one trial call decides whether it closes again. Every transition is logged,
 * counted in /metrics and reported as the health of `funshop.dependency.payment`.
 */
export class GrpcPaymentGateway implements PaymentGateway {
  private readonly client: InstanceType<typeof PaymentServiceClient>;
  private readonly breaker;
  private readonly policy;
  private openedAt = 0;
  private readonly observeCall: ObserveCall;

  constructor(
    private readonly options: PaymentGatewayOptions,
    logger: Logger,
    metrics: Metrics,
    onHealth: (healthy: boolean) => void,
  ) {
    this.client = new PaymentServiceClient(options.address, credentials.createInsecure());
    this.breaker = circuitBreaker(handleWhen(isOutage), {
      halfOpenAfter: options.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.breakerThreshold),
    });
    this.observeCall = metrics.histogram(
      'funshop_grpc_client_handling_seconds',
      'Time from a call to another service leaving to its answer (each attempt), by method and gRPC status',
      ['method', 'code'],
    );
    const transitions = metrics.counter('funshop_payment_circuit_transitions_total', 'Circuit breaker state changes in front of the payment service', [
      'state',
    ]);
    metrics.gauge('funshop_payment_circuit_open', '1 while the circuit to the payment service is open', async () =>
      this.breaker.state === CircuitState.Open ? 1 : 0,
    );
    this.breaker.onStateChange((state) => {
      const name = CircuitState[state].toLowerCase();
      if (state === CircuitState.Open) this.openedAt = Date.now();
      transitions({ state: name });
      onHealth(state !== CircuitState.Open);
      logger.warn({ circuit: 'payment', state: name }, `payment circuit ${name}`);
    });
    const retryUnavailable = retry(
      handleWhen((error) => (error as ServiceError).code === status.UNAVAILABLE),
      {
        maxAttempts: 1,
        backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 200 }),
      },
    );
    // The retry sits outside the breaker: a retried attempt counts as a failure too, and an open
    // circuit (BrokenCircuitError) is not retried, so the two never multiply attempts.
    this.policy = wrap(retryUnavailable, this.breaker, timeout(options.timeoutMs + 250, TimeoutStrategy.Aggressive));
  }

  async authorize(
    request: { orderId: string; customerId: string; amountKrw: number; card: CardDetails | undefined },
    signal?: AbortSignal,
  ): Promise<PaymentResult> {
    try {
      const response = await this.policy.execute(({ signal: attemptSignal }) => this.call(request, attemptSignal), signal);
      const payment = response.payment!;
      return {
        paymentId: payment.paymentId,
        approved: payment.status === PaymentStatus.PAYMENT_STATUS_APPROVED,
        declineReason: payment.declineReason,
        amountKrw: payment.amountKrw,
        cardLast4: payment.cardLast4,
        createdAt: payment.createTime ?? new Date(),
      };
    } catch (error) {
      // The policy's own timeout, a backstop for when the call's deadline could not fire in time
      // (an overloaded event loop): payment did not answer, which is UNAVAILABLE, not INTERNAL.
      if (error instanceof TaskCancelledError && !signal?.aborted) {
        throw new Unavailable(`the payment service did not answer within ${this.options.timeoutMs} ms; try again`);
      }
      throw this.translate(error);
    }
  }

  close(): void {
    this.client.close();
  }

  private call(request: { orderId: string; customerId: string; amountKrw: number; card: CardDetails | undefined }, signal: AbortSignal) {
    const metadata = new Metadata();
    metadata.set(CUSTOMER_HEADER, request.customerId);
    const context = currentContext();
    if (context) metadata.set(CORRELATION_HEADER, context.correlationId);
    const started = performance.now();
    return new Promise<AuthorizePaymentResponse>((resolve, reject) => {
      const call = this.client.authorizePayment(
        { orderId: request.orderId, amountKrw: request.amountKrw, card: request.card },
        metadata,
        { deadline: Date.now() + this.options.timeoutMs },
        (error, response) => {
          const code = error ? (status[error.code] ?? String(error.code)) : 'OK';
          this.observeCall({ method: PaymentServiceService.authorizePayment.path, code }, (performance.now() - started) / 1000);
          if (error) reject(error);
          else resolve(response);
        },
      );
      signal.addEventListener('abort', () => call.cancel());
    });
  }

  /** The payment service's answer in the order service's terms. */
  private translate(error: unknown): Error {
    if (error instanceof BrokenCircuitError) {
      const retryInS = Math.max(1, Math.ceil((this.openedAt + this.options.halfOpenAfterMs - Date.now()) / 1000));
      return new Unavailable(`the payment service is unavailable (circuit open); try again in about ${retryInS} s`);
    }
    const grpcError = error as ServiceError;
    switch (grpcError.code) {
      case status.INVALID_ARGUMENT:
        return new InvalidArgument(grpcError.details, violationsOf(grpcError));
      case status.FAILED_PRECONDITION:
        return new FailedPrecondition(grpcError.details);
      case status.NOT_FOUND:
        return new NotFound(grpcError.details);
      case status.ABORTED:
        return new ConcurrentModification(grpcError.details);
      case status.UNAVAILABLE:
      case status.DEADLINE_EXCEEDED:
      case status.RESOURCE_EXHAUSTED:
        return new Unavailable(`the payment service did not answer (${grpcError.details || status[grpcError.code]}); try again`);
      default:
        return error instanceof Error ? error : new Error(String(error));
    }
  }
}

/** The field violations of a google.rpc.BadRequest in the error's details, if any. */
function violationsOf(error: ServiceError): FieldViolation[] {
  const [bytes] = error.metadata?.get('grpc-status-details-bin') ?? [];
  if (!(bytes instanceof Buffer)) return [];
  return Status.decode(bytes)
    .details.filter((detail) => detail.typeUrl.endsWith('/google.rpc.BadRequest'))
    .flatMap((detail) => BadRequest.decode(detail.value).fieldViolations.map((v) => ({ field: v.field, description: v.description })));
}
