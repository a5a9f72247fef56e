// Shared by the handlers that move an order through its status machine. Events arrive at least
// once and in any order; whatever the machine refuses (a duplicate, a late event, an event for a
// cancelled order) is logged and dropped, never thrown: a retry could not make it valid.
import type { HandlerContext } from '../../../platform/events/event-bus.js';
import { lockOrder, updateStatus } from '../db/orders.repository.js';
import type { OrderRow } from '../db/schema.js';
import { transition, type OrderTrigger } from '../domain/order-status.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Applies `trigger` to the order under its row lock; the order as it was before, or null when nothing changed. */
export async function applyTransition({ tx, logger }: HandlerContext, orderId: unknown, trigger: OrderTrigger): Promise<OrderRow | null> {
  if (typeof orderId !== 'string' || !UUID.test(orderId)) {
    // A publisher bug: no retry could fix the event, so it is reported rather than dead-lettered.
    logger.error({ orderId, trigger: trigger.type }, 'event without a valid orderId; ignored');
    return null;
  }
  const order = await lockOrder(tx, orderId.toLowerCase());
  if (!order) {
    // Orders are stored before their order-placed event, so this is not our order (or not one at all).
    logger.warn({ orderId, trigger: trigger.type }, 'event for an order this module does not know; ignored');
    return null;
  }
  const result = transition(order.status, trigger);
  if (!result.allowed) {
    logger.warn({ orderId, status: order.status, trigger: trigger.type, reason: result.reason }, 'order transition refused; event ignored');
    return null;
  }
  await updateStatus(tx, order.id, result.to);
  logger.info({ orderId, from: order.status, to: result.to }, 'order status changed');
  return order;
}
