import { MAX_QUANTITY } from '../basket';

/**
 * A quantity input (1..99, and never more than the stock). Its label shows "Quantity"; screen
 * readers hear which product's ("Quantity of USB-C hub in your order").
 */
export function QuantityInput(props: {
  id: string;
  productName: string;
  where?: string;
  value: number;
  max: number;
  onChange: (quantity: number) => void;
  describedBy?: string;
}) {
  const max = Math.max(1, Math.min(MAX_QUANTITY, props.max));
  return (
    <span class="quantity">
      <label for={props.id}>
        Quantity
        <span class="visually-hidden">
          {' '}
          of {props.productName}
          {props.where ? ` ${props.where}` : ''}
        </span>
      </label>
      <input
        id={props.id}
        type="number"
        inputMode="numeric"
        min={1}
        max={max}
        value={props.value}
        aria-describedby={props.describedBy}
        onInput={(event) => {
          const value = Math.trunc(Number((event.target as HTMLInputElement).value));
          if (value >= 1) props.onChange(Math.min(value, max));
        }}
      />
    </span>
  );
}
