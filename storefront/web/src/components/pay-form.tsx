import { useState } from 'preact/hooks';
import { shop } from '../api/shop';
import type { PayOrderResponse } from '../api/types';
import { ErrorNotice, FieldError, fieldInvalid } from './errors';

const FIELDS = ['card.number', 'card.expiry_month', 'card.expiry_year', 'card.cvc', 'card.holder_name'];

/**
 * Pays the order with a card. A declined card is a 409 whose reason is shown; the order still
 * awaits payment, so the customer can pay again with another card. The shop checks the card; this
 * form only shows what it says, next to the field it names.
 */
/** `onFailed`: the order may have changed (a decline is recorded on it), so its page reads it again. */
export function PayForm({ orderId, onPaid, onFailed }: { orderId: string; onPaid: (paid: PayOrderResponse) => void; onFailed: () => void }) {
  const [card, setCard] = useState({ number: '', expiryMonth: '', expiryYear: '', cvc: '', holderName: '' });
  const [error, setError] = useState<unknown>();
  const [paying, setPaying] = useState(false);
  const input = (name: keyof typeof card, field: string, label: string, attributes: Record<string, string | number>) => (
    <div class="field">
      <label for={`card-${name}`}>{label}</label>
      <input
        id={`card-${name}`}
        name={name}
        value={card[name]}
        aria-invalid={fieldInvalid(error, field) || undefined}
        aria-describedby={`card-${name}-error`}
        onInput={(event) => setCard({ ...card, [name]: (event.target as HTMLInputElement).value })}
        {...attributes}
      />
      <FieldError error={error} field={field} id={`card-${name}-error`} />
    </div>
  );

  async function pay(event: Event) {
    event.preventDefault();
    setPaying(true);
    setError(undefined);
    try {
      const paid = await shop.payOrder(orderId, {
        number: card.number,
        expiryMonth: Number(card.expiryMonth),
        expiryYear: Number(card.expiryYear),
        cvc: card.cvc,
        holderName: card.holderName,
      });
      onPaid(paid);
    } catch (failure) {
      setError(failure);
      onFailed();
    } finally {
      setPaying(false);
    }
  }

  return (
    <form class="pay-form" onSubmit={pay} aria-labelledby="pay-heading" noValidate>
      <h2 id="pay-heading">Pay</h2>
      <p class="hint">
        Test cards: <code>4242 4242 4242 4242</code> is approved; <code>4000 0000 0000 0002</code> is declined.
      </p>
      {input('number', 'card.number', 'Card number', { inputMode: 'numeric', autoComplete: 'cc-number', maxLength: 23, required: 'required' })}
      <div class="field-row">
        {input('expiryMonth', 'card.expiry_month', 'Expiry month (MM)', {
          inputMode: 'numeric',
          autoComplete: 'cc-exp-month',
          maxLength: 2,
          required: 'required',
        })}
        {input('expiryYear', 'card.expiry_year', 'Expiry year (YYYY)', {
          inputMode: 'numeric',
          autoComplete: 'cc-exp-year',
          maxLength: 4,
          required: 'required',
        })}
        {input('cvc', 'card.cvc', 'CVC', { inputMode: 'numeric', autoComplete: 'cc-csc', maxLength: 4, required: 'required' })}
      </div>
      {input('holderName', 'card.holder_name', 'Name on the card', { autoComplete: 'cc-name', maxLength: 100 })}
      <ErrorNotice error={error} shownFields={FIELDS} />
      <button type="submit" class="primary" disabled={paying}>
        {paying ? 'Paying…' : 'Pay now'}
      </button>
    </form>
  );
}
