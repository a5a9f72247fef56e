// Shared by the users handlers: records a username in the orders module's own copy.
import type { EventEnvelope } from '../../../platform/events/event-envelope.js';
import type { HandlerContext } from '../../../platform/events/event-bus.js';
import { upsertCustomer } from '../db/orders.repository.js';

export async function copyUsername(event: EventEnvelope, { tx, logger }: HandlerContext): Promise<void> {
  const { userId, username } = event.data as { userId?: unknown; username?: unknown };
  if (typeof userId !== 'string' || typeof username !== 'string') {
    // A publisher bug: no retry could fix the event, so it is reported rather than dead-lettered.
    logger.error({ eventType: event.type, userId }, 'users event without userId and username; ignored');
    return;
  }
  // The event's own time orders the updates: a late, older event does not undo a rename.
  await upsertCustomer(tx, { userId, username, asOf: new Date(event.occurredAt) });
}
