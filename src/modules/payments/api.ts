// The payments module's published language: the events it publishes, with their schemas and
// versions. Other modules import this file only; it imports nothing of the module's internals.
// Payments offers no contract: others learn about payments from these events.
import { Type } from 'typebox';
import { defineEvent, type EventData } from '../../platform/events/event-definition.js';

const Id = Type.String({ format: 'uuid' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$' });
const Cents = Type.Integer({ minimum: 1 });

// Version 1 carried the amount as two loose fields. Version 2 carries it as one money value, so
// that no reader can take the cents without the currency. Both convert into each other losslessly:
// subscribers that still read v1 get v1, and v1 events stored before v2 shipped reach v2 readers.
const paymentSucceededV1 = defineEvent(
  'payments.payment-succeeded',
  Type.Object({ paymentId: Id, orderId: Id, amountCents: Cents, currency: Currency }),
);
const paymentSucceeded = paymentSucceededV1.evolve(
  Type.Object({ paymentId: Id, orderId: Id, amount: Type.Object({ cents: Cents, currency: Currency }) }),
  {
    up: ({ paymentId, orderId, amountCents, currency }) => ({ paymentId, orderId, amount: { cents: amountCents, currency } }),
    down: ({ paymentId, orderId, amount }) => ({ paymentId, orderId, amountCents: amount.cents, currency: amount.currency }),
  },
);

export const PaymentsEvents = {
  paymentSucceeded,
  paymentSucceededV1,
  paymentFailed: defineEvent('payments.payment-failed', Type.Object({ paymentId: Id, orderId: Id, reason: Type.String({ minLength: 1 }) })),
  paymentRefunded: defineEvent(
    'payments.payment-refunded',
    Type.Object({ paymentId: Id, orderId: Id, refundId: Id, amountCents: Cents, fullyRefunded: Type.Boolean() }),
  ),
} as const;

/** The events payments publishes: the newest version of each. */
export const PAYMENTS_PUBLISHES = [PaymentsEvents.paymentSucceeded, PaymentsEvents.paymentFailed, PaymentsEvents.paymentRefunded] as const;

export type PaymentSucceeded = EventData<typeof PaymentsEvents.paymentSucceeded>;
export type PaymentSucceededV1 = EventData<typeof PaymentsEvents.paymentSucceededV1>;
export type PaymentFailed = EventData<typeof PaymentsEvents.paymentFailed>;
export type PaymentRefunded = EventData<typeof PaymentsEvents.paymentRefunded>;
