/** SQL creating a fixture module schema with the inbox the event bus writes to. */
export function createFixtureSchemaSql(schema: string): string {
  return `create schema if not exists ${schema};
    create table if not exists ${schema}.inbox (
      event_id uuid not null, subscription text not null, event_type text not null,
      handled_at timestamptz not null default now(), primary key (subscription, event_id));`;
}
