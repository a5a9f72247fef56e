// The shape every event travels in: its id (what each subscriber's inbox deduplicates on), type,
// version (README, "Evolving an event"), when and which module published it, its trace, and the
// data. Publishers own the `data` types.
import { randomUUID } from 'node:crypto';

export interface EventEnvelope<TData = unknown, TType extends string = string> {
  id: string;
  type: TType;
  version: number;
  occurredAt: string;
  source: string;
  traceparent?: string;
  data: TData;
}

export interface PublishOptions {
  traceparent?: string;
}

export function createEnvelope<TData>(source: string, type: string, data: TData, options: PublishOptions & { version?: number } = {}): EventEnvelope<TData> {
  return {
    id: randomUUID(),
    type,
    version: options.version ?? 1,
    occurredAt: new Date().toISOString(),
    source,
    ...(options.traceparent ? { traceparent: options.traceparent } : {}),
    data,
  };
}
