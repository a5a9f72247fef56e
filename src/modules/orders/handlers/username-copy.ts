// Shared by the users handlers: records a username in the orders module's own copy.
import type { EventEnvelope } from '../../../platform/events/event-envelope.js';
import type { HandlerContext } from '../../../platform/events/event-bus.js';
import type { UserRegistered, UserUpdated } from '../../users/api.js';
import { upsertCustomer } from '../db/orders.repository.js';

export async function copyUsername({ data, occurredAt }: EventEnvelope<UserRegistered | UserUpdated>, { tx }: HandlerContext): Promise<void> {
  // The event's own time orders the updates: a late, older event does not undo a rename.
  await upsertCustomer(tx, { userId: data.userId, username: data.username, asOf: new Date(occurredAt) });
}
