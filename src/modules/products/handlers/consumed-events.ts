// The data of the orders and payments events this module reacts to, as this module reads it.
// The publishers own these events, but orders needs ProductsApi and payments reads products
// events, so importing their index.ts from here would tie the modules in a cycle. The consumer
// keeps its own reading of the contract (CONTRACT.md, "Events") and checks every event against
// it: one that does not fit is logged and dropped, not retried forever.
import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { EventEnvelope } from '../../../platform/events/event-envelope.js';
import type { Logger } from '../../../platform/logging/logger.js';

export const CONSUMED_EVENTS = {
  orderPlaced: 'orders.order-placed',
  orderCancelled: 'orders.order-cancelled',
  orderPaid: 'orders.order-paid',
  paymentRefunded: 'payments.payment-refunded',
} as const;

const Id = Type.String({ format: 'uuid' });
// A quantity the integer stock columns can hold.
const Quantity = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

export const OrderPlacedData = Type.Object({
  orderId: Id,
  items: Type.Array(Type.Object({ productId: Id, quantity: Quantity }), { minItems: 1 }),
});

export const OrderCancelledData = Type.Object({ orderId: Id });

export const OrderPaidData = Type.Object({ orderId: Id });

export const PaymentRefundedData = Type.Object({ orderId: Id, fullyRefunded: Type.Boolean() });

/** The event's data when it fits `schema` (extra fields are fine), else null after a warning. */
export function readEventData<T extends TSchema>(schema: T, event: EventEnvelope, logger: Logger): Static<T> | null {
  if (Value.Check(schema, event.data)) return event.data;
  logger.warn({ eventType: event.type, eventId: event.id }, 'event data does not fit the contract; ignored');
  return null;
}
