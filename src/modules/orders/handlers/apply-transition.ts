// Shared by the handlers that move an order through its status machine. Events arrive at least
// once and in any order; whatever the machine refuses (a duplicate, a late event, an event for a
// cancelled order) is logged and dropped, never thrown: a retry could not make it valid. (An event
// whose data does not fit its schema never gets here: the bus dead-letters it.)
import type { HandlerContext } from '../../../platform/events/event-bus.js';
import { lockOrder, updateStatus } from '../db/orders.repository.js';
import type { OrderRow } from '../db/schema.js';
import { transition, type OrderTrigger } from '../domain/order-status.js';

/** Applies `trigger` to the order under its row lock; the order as it was before, or null when nothing changed. */
export async function applyTransition({ tx, logger }: HandlerContext, orderId: string, trigger: OrderTrigger): Promise<OrderRow | null> {
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
