// Feeds the access-revocation view from the user-status events of the bus. The platform runs
// this subscription in every process, so the view is fed wherever the users module lives.
import { sql } from 'drizzle-orm';
import type { Subscription } from '../events/event-bus.js';
import type { EventDefinition } from '../events/event-definition.js';

interface StatusChange {
  userId: string;
  status: string;
}

function isStatusChange(data: unknown): data is StatusChange {
  const candidate = data as Partial<StatusChange> | null;
  return typeof candidate?.userId === 'string' && typeof candidate.status === 'string';
}

/**
 * The platform's subscription to the users module's status-changed event, handed in by the
 * composition root (the platform knows no module): the bus checks each event against the users
 * module's schema; the check here only tells TypeScript what the platform relies on.
 */
export function accessRevocationSubscription(statusChanged: EventDefinition): Subscription {
  return {
    module: 'platform',
    schema: 'platform',
    name: 'access-revocations',
    pattern: statusChanged.type,
    reads: statusChanged,
    async handler(event, { tx }) {
      if (!isStatusChange(event.data)) throw new Error(`${event.type} ${event.id} has no userId and status`);
      // Status events of one user may arrive out of order: the newest change wins.
      await tx.execute(sql`
        insert into platform.access_revocations (user_id, status, changed_at, recorded_at)
        values (${event.data.userId}, ${event.data.status}, ${event.occurredAt}, clock_timestamp())
        on conflict (user_id) do update
          set status = excluded.status, changed_at = excluded.changed_at, recorded_at = excluded.recorded_at
          where platform.access_revocations.changed_at < excluded.changed_at`);
    },
  };
}
