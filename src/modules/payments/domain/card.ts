// Card checks that need no gateway: a number that fails Luhn or a card past its expiry is the
// client's mistake (400), not a decline, so no charge is attempted and nothing is recorded.
import type { FieldError } from '../../../platform/http/problem.js';

export interface Card {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

/** Cards are accepted up to this many years ahead; further is a typo, not a real card. */
export const MAX_YEARS_AHEAD = 20;

/** The Luhn (mod 10) check every payment card number passes. */
export function passesLuhn(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * What is wrong with a card the request schema already accepted (digits, ranges), or an empty
 * list. `now` is passed in so tests can pin the calendar. A card is valid through the last day of
 * its expiry month (UTC).
 */
export function cardErrors(card: Card, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  if (!passesLuhn(card.number)) errors.push({ path: 'card.number', message: 'is not a valid card number' });
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  if (card.expYear < year) errors.push({ path: 'card.expYear', message: 'the card has expired' });
  else if (card.expYear > year + MAX_YEARS_AHEAD) errors.push({ path: 'card.expYear', message: `must be at most ${year + MAX_YEARS_AHEAD}` });
  else if (card.expYear === year && card.expMonth < month) errors.push({ path: 'card.expMonth', message: 'the card has expired' });
  return errors;
}

/** The only part of a card number that is ever stored or shown. */
export function lastFour(number: string): string {
  return number.slice(-4);
}
