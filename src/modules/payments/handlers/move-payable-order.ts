// What every status event about an order does to the payments module's copy of it. Orders and
// products publish independently, so a status event may overtake orders.order-placed: then the
// copy does not exist yet and the handler throws, and the bus retries it later with backoff.
import type { HandlerContext } from '../../../platform/events/event-bus.js';
import type { EventEnvelope } from '../../../platform/events/event-envelope.js';
import { lockPayableOrder, setPayableOrderStatus } from '../db/payable-orders.repository.js';
import { replicaMove, type PayableOrderStatus } from '../domain/payable-order.js';

export class OrderNotYetKnown extends Error {
  override name = 'OrderNotYetKnown';
}

export async function movePayableOrder(
  event: EventEnvelope,
  { tx, logger }: HandlerContext,
  orderId: string,
  to: Exclude<PayableOrderStatus, 'pending'>,
): Promise<void> {
  const order = await lockPayableOrder(tx, orderId);
  if (!order) throw new OrderNotYetKnown(`order ${orderId} is not known yet (${event.type} came before orders.order-placed); retry later`);
  const move = replicaMove(order.status, to);
  if (move === 'apply') {
    await setPayableOrderStatus(tx, orderId, to);
    logger.debug({ orderId, from: order.status, to }, 'payable order moved');
  } else if (move === 'duplicate') {
    logger.debug({ orderId, status: order.status, eventType: event.type }, 'payable order already there; event ignored');
  } else {
    logger.warn({ orderId, status: order.status, to, eventType: event.type }, 'status event out of turn for the payable order; ignored');
  }
}
