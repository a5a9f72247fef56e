// Feeds the access-revocation view from the user-status events of the bus. The platform runs
// this subscription in every process, so the view is fed wherever the users module lives.
import { sql } from 'drizzle-orm';
import type { Subscription } from '../events/event-bus.js';

interface StatusChange {
  userId: string;
  status: string;
}

function isStatusChange(data: unknown): data is StatusChange {
  const candidate = data as Partial<StatusChange> | null;
  return typeof candidate?.userId === 'string' && typeof candidate.status === 'string';
}

/** The platform's subscription to `eventType` (the users module's status-changed event). */
export function accessRevocationSubscription(eventType: string): Subscription {
  return {
    module: 'platform',
    schema: 'platform',
    name: 'access-revocations',
    pattern: eventType,
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
