// The orders module's published language: the events it publishes, with their schemas. Other
// modules import this file only; it imports nothing of the module's internals. Orders offers no
// contract: others learn about orders from these events.
import { Type } from 'typebox';
import { defineEvent, type EventData } from '../../platform/events/event-definition.js';

const Id = Type.String({ format: 'uuid' });

export const OrdersEvents = {
  orderPlaced: defineEvent(
    'orders.order-placed',
    Type.Object({
      orderId: Id,
      customerId: Id,
      items: Type.Array(
        Type.Object({
          productId: Id,
          // What the integer stock columns can hold.
          quantity: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
          unitPriceCents: Type.Integer({ minimum: 1 }),
        }),
        { minItems: 1 },
      ),
      totalCents: Type.Integer({ minimum: 1 }),
      currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    }),
  ),
  orderCancelled: defineEvent(
    'orders.order-cancelled',
    Type.Object({
      orderId: Id,
      customerId: Id,
      previousStatus: Type.Union([Type.Literal('pending'), Type.Literal('awaiting_payment')]),
      // `requested` by the customer (or an admin), or `payment_timeout` when the payment window
      // closed. Optional: events stored before it existed have none.
      reason: Type.Optional(Type.Union([Type.Literal('requested'), Type.Literal('payment_timeout')])),
    }),
  ),
  orderPaid: defineEvent('orders.order-paid', Type.Object({ orderId: Id, paymentId: Id })),
} as const;

export type OrderPlaced = EventData<typeof OrdersEvents.orderPlaced>;
export type OrderCancelled = EventData<typeof OrdersEvents.orderCancelled>;
export type OrderPaid = EventData<typeof OrdersEvents.orderPaid>;
