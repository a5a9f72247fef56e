// Card checks done before any gateway is asked: Luhn and the expiry window.
import { describe, expect, it } from 'vitest';
import { cardErrors, lastFour, passesLuhn, type Card } from './card.js';

const JUNE_2030 = new Date('2030-06-15T12:00:00Z');
const card = (overrides: Partial<Card> = {}): Card => ({ number: '4242424242424242', expMonth: 12, expYear: 2031, cvc: '123', ...overrides });

describe('passesLuhn', () => {
  it.each(['4242424242424242', '4000000000000002', '4000000000009995', '5555555555554444', '378282246310005', '79927398713'])(
    'accepts the valid number %s',
    (number) => expect(passesLuhn(number)).toBe(true),
  );

  it.each(['4242424242424241', '4000000000000001', '1234567812345678', '79927398710'])('refuses the number %s whose check digit is wrong', (number) =>
    expect(passesLuhn(number)).toBe(false),
  );

  it('refuses anything that is not only digits', () => {
    expect(passesLuhn('4242 4242 4242 4242')).toBe(false);
    expect(passesLuhn('')).toBe(false);
  });
});

describe('cardErrors', () => {
  it('finds nothing wrong with a valid card that expires in the future', () => {
    expect(cardErrors(card(), JUNE_2030)).toEqual([]);
  });

  it('names card.number when the Luhn check fails', () => {
    expect(cardErrors(card({ number: '4242424242424241' }), JUNE_2030)).toEqual([{ path: 'card.number', message: 'is not a valid card number' }]);
  });

  it('names card.expYear for a card that expired in an earlier year', () => {
    expect(cardErrors(card({ expYear: 2029 }), JUNE_2030)).toEqual([{ path: 'card.expYear', message: 'the card has expired' }]);
  });

  it('names card.expMonth for a card that expired earlier this year', () => {
    expect(cardErrors(card({ expYear: 2030, expMonth: 5 }), JUNE_2030)).toEqual([{ path: 'card.expMonth', message: 'the card has expired' }]);
  });

  it('accepts a card through the last day of its expiry month', () => {
    expect(cardErrors(card({ expYear: 2030, expMonth: 6 }), new Date('2030-06-30T23:59:59Z'))).toEqual([]);
    expect(cardErrors(card({ expYear: 2030, expMonth: 6 }), new Date('2030-07-01T00:00:00Z'))).toHaveLength(1);
  });

  it('accepts up to 20 years ahead and refuses further', () => {
    expect(cardErrors(card({ expYear: 2050 }), JUNE_2030)).toEqual([]);
    expect(cardErrors(card({ expYear: 2051 }), JUNE_2030)).toEqual([{ path: 'card.expYear', message: 'must be at most 2050' }]);
  });

  it('reports a bad number and a bad expiry together', () => {
    expect(cardErrors(card({ number: '4242424242424241', expYear: 2000 }), JUNE_2030).map((error) => error.path)).toEqual(['card.number', 'card.expYear']);
  });
});

describe('lastFour', () => {
  it('keeps only the last four digits', () => expect(lastFour('4242424242429876')).toBe('9876'));
});
