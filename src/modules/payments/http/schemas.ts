// Request and response schemas of the payments module's routes (they validate, serialise and feed
// the OpenAPI document). Card checks that need arithmetic or the calendar (Luhn, expiry) live in
// domain/card.ts; the schema only bounds the shapes.
import { Type } from 'typebox';
import { PageQuery } from '../../../platform/http/pagination.js';

const Uuid = Type.String({ format: 'uuid' });

export const PaymentIdParams = Type.Object({ id: Uuid });

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({
    minLength: 8,
    maxLength: 255,
    description:
      'Unique per payment attempt. Retrying with the same key and body answers the first response again, marked `idempotent-replayed: true`; ' +
      'the same key with another body is a 422, and while the first request is in flight a 409.',
  }),
});

export const PayBody = Type.Object(
  {
    orderId: Uuid,
    card: Type.Object(
      {
        number: Type.String({ pattern: '^[0-9]{12,19}$', transform: ['trim'], description: '12 to 19 digits, no spaces' }),
        expMonth: Type.Integer({ minimum: 1, maximum: 12 }),
        // The real window (this year to 20 years ahead) moves with the calendar: domain/card.ts.
        expYear: Type.Integer({ minimum: 1000, maximum: 9999 }),
        cvc: Type.String({ pattern: '^[0-9]{3,4}$', transform: ['trim'] }),
      },
      { additionalProperties: false, title: 'Card' },
    ),
  },
  { additionalProperties: false, title: 'CreatePaymentRequest' },
);

export const RefundBody = Type.Object(
  { amountCents: Type.Optional(Type.Integer({ minimum: 1, description: 'defaults to everything not yet refunded' })) },
  { additionalProperties: false, title: 'RefundPaymentRequest', description: 'Optional: no body at all refunds everything not yet refunded.' },
);

export const ListPaymentsQuery = Type.Object({ orderId: Uuid, ...PageQuery.properties }, { additionalProperties: false });

export const Payment = Type.Object({
  id: Uuid,
  orderId: Uuid,
  customerId: Uuid,
  amountCents: Type.Integer(),
  currency: Type.String(),
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('refunded'), Type.Literal('partially_refunded')], { title: 'PaymentStatus' }),
  failureReason: Type.Optional(Type.String()),
  cardLast4: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
}, { title: 'Payment' });

export const Refund = Type.Object({
  id: Uuid,
  paymentId: Uuid,
  amountCents: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
}, { title: 'Refund' });
