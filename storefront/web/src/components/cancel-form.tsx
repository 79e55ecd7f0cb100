import { useState } from 'preact/hooks';
import { shop } from '../api/shop';
import type { Order } from '../api/types';
import { ErrorNotice, FieldError, fieldInvalid } from './errors';

/** Cancels the order (a paid one is refunded: the saga's compensation), with an optional reason. */
export function CancelForm({ order, onCancelled }: { order: Order; onCancelled: (order: Order) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [cancelling, setCancelling] = useState(false);

  async function cancel(event: Event) {
    event.preventDefault();
    setCancelling(true);
    setError(undefined);
    try {
      onCancelled((await shop.cancelOrder(order.orderId, reason)).order!);
    } catch (failure) {
      setError(failure);
    } finally {
      setCancelling(false);
    }
  }

  return (
    <form class="cancel-form" onSubmit={cancel} aria-labelledby="cancel-heading">
      <h2 id="cancel-heading">Cancel this order</h2>
      {order.paymentId && <p>Your payment will be refunded.</p>}
      <div class="field">
        <label for="cancel-reason">Reason (optional)</label>
        <input
          id="cancel-reason"
          value={reason}
          maxLength={200}
          aria-invalid={fieldInvalid(error, 'reason') || undefined}
          aria-describedby="cancel-reason-error"
          onInput={(event) => setReason((event.target as HTMLInputElement).value)}
        />
        <FieldError error={error} field="reason" id="cancel-reason-error" />
      </div>
      <ErrorNotice error={error} shownFields={['reason']} />
      <button type="submit" class="danger" disabled={cancelling}>
        {cancelling ? 'Cancelling…' : 'Cancel order'}
      </button>
    </form>
  );
}
