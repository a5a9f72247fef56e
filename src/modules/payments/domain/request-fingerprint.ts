// The fingerprint that tells a retried payment request from a different one under the same
// Idempotency-Key. The request holds the card number and cvc, so a plain SHA-256 of it could be
// brute-forced back to the card (the number has few unknown digits once the last four are known);
// scrypt, salted per customer and key, makes that far too slow while still comparing exactly.
import { scrypt } from 'node:crypto';

const SCRYPT = { N: 2 ** 14, r: 8, p: 1 } as const;
const LENGTH = 32;

/** JSON with object keys sorted at every depth, so equal requests give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function requestFingerprint(request: unknown, salt: { customerId: string; key: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    scrypt(canonicalJson(request), `${salt.customerId}\u0000${salt.key}`, LENGTH, SCRYPT, (error, derived) =>
      error ? reject(error) : resolve(`scrypt:${derived.toString('base64url')}`),
    );
  });
}
