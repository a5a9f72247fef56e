// What every orders or products event about an order does to the payments module's copy of it:
// adds the event's facts and re-derives the status. Whichever event comes first creates the row,
// so none has to wait (and be retried) until orders.order-placed has arrived.
import type { HandlerContext } from '../../../platform/events/event-bus.js';
import type { EventEnvelope } from '../../../platform/events/event-envelope.js';
import { lockOrCreatePayableOrder, savePayableOrderFacts } from '../db/payable-orders.repository.js';
import type { PayableOrderRow } from '../db/schema.js';
import { withFact, type PayableOrderFact, type PayableOrderStatus } from '../domain/payable-order.js';

/** Adds the fact under the order's row lock (held until the handler's transaction ends); the row as it was before. */
export async function addPayableOrderFact(
  event: EventEnvelope,
  { tx, logger }: HandlerContext,
  orderId: string,
  fact: PayableOrderFact,
): Promise<{ before: PayableOrderRow; status: PayableOrderStatus }> {
  const before = await lockOrCreatePayableOrder(tx, orderId.toLowerCase());
  const status = await savePayableOrderFacts(tx, before.orderId, withFact(before, fact));
  if (status === before.status) logger.debug({ orderId, status, eventType: event.type }, 'payable order status unchanged');
  else logger.debug({ orderId, from: before.status, to: status, eventType: event.type }, 'payable order moved');
  return { before, status };
}
