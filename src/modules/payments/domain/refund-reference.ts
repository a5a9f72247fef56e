// Refund ids that a retry reproduces. A refund made by an event handler must carry the same
// reference on every delivery of that event: the gateway deduplicates refunds on it, so a retry
// after the gateway refunded but our transaction rolled back cannot refund twice.
import { createHash } from 'node:crypto';

/** A UUID (version 8, RFC 9562) determined by the event and the payment it refunds. */
export function refundReference(eventId: string, paymentId: string): string {
  const hex = createHash('sha256').update(`refund:${eventId}:${paymentId}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
