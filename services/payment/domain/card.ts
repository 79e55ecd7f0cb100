import { InvalidArgument, type FieldViolation } from '@funshop/platform/errors';

/** Card details as entered; only `last4` survives validation into anything stored or logged. */
export interface CardInput {
  number: string;
  expiryMonth: number;
  expiryYear: number;
  cvc: string;
}

/**
 * Test-mode cards a real gateway would decline, with the reason it gives. Every other number that
 * passes validation is approved (e.g. 4242 4242 4242 4242).
 */
export const DECLINING_TEST_CARDS: Readonly<Record<string, string>> = {
  '4000000000000002': 'card declined',
  '4000000000009995': 'insufficient funds',
  '4000000000000127': 'incorrect cvc',
};

export interface ValidCard {
  readonly last4: string;
  /** Why the issuer declines this card, if it does. */
  readonly declineReason: string | undefined;
}

/** Checks a card as a payment gateway would before charging it: digits, Luhn, expiry, cvc. */
export function validateCard(card: CardInput | undefined, now: Date): ValidCard {
  if (!card) throw InvalidArgument.of([{ field: 'card', description: 'is required' }]);
  const number = card.number.replace(/[\s-]/g, '');
  const violations: FieldViolation[] = [];
  if (!/^\d{12,19}$/.test(number)) violations.push({ field: 'card.number', description: 'must be 12..19 digits' });
  else if (!passesLuhn(number)) violations.push({ field: 'card.number', description: 'is not a valid card number (Luhn check failed)' });
  if (!Number.isInteger(card.expiryMonth) || card.expiryMonth < 1 || card.expiryMonth > 12) {
    violations.push({ field: 'card.expiry_month', description: 'must be 1..12' });
  } else if (!Number.isInteger(card.expiryYear) || card.expiryYear < 2000 || card.expiryYear > 2100) {
    violations.push({ field: 'card.expiry_year', description: 'must be a four-digit year' });
  } else if (hasExpired(card.expiryYear, card.expiryMonth, now)) {
    violations.push({ field: 'card.expiry_year', description: `the card expired at the end of ${card.expiryMonth}/${card.expiryYear}` });
  }
  if (!/^\d{3,4}$/.test(card.cvc)) violations.push({ field: 'card.cvc', description: 'must be 3 or 4 digits' });
  if (violations.length > 0) throw InvalidArgument.of(violations);
  return { last4: number.slice(-4), declineReason: DECLINING_TEST_CARDS[number] };
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** A card is valid through the last day of its expiry month. */
function hasExpired(year: number, month: number, now: Date): boolean {
  return now.getTime() >= Date.UTC(year, month, 1);
}
