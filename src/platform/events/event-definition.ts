// An event type as its publisher defines it in its published language: the name, a TypeBox schema
// per version, and how data converts between neighbouring versions. The publisher publishes its
// newest version; each subscriber names the version it reads and the bus converts at delivery, so
// a subscriber that has not moved keeps reading the old shape and events stored before a new
// version shipped still reach subscribers that read the new one.
import type { Static, TSchema } from 'typebox';
import { schemaProblems } from '../schema/schema-problems.js';

interface Conversion {
  /** Data of the previous version → this version. */
  up(data: unknown): unknown;
  /** Data of this version → the previous version. */
  down(data: unknown): unknown;
}

/** One version of an event type; the newest one is what the publisher publishes. */
export interface EventDefinition<Type extends string = string, Schema extends TSchema = TSchema> {
  readonly type: Type;
  readonly version: number;
  readonly schema: Schema;
  /** The version before this one (null for version 1) and how data converts between the two. */
  readonly previous: { definition: EventDefinition<Type>; conversion: Conversion } | null;
  /** The next version: its schema and how data converts each way, losing nothing either way. */
  evolve<Next extends TSchema>(
    schema: Next,
    conversion: { up(data: Static<Schema>): Static<Next>; down(data: Static<Next>): Static<Schema> },
  ): EventDefinition<Type, Next>;
}

export type EventData<Definition> = Definition extends EventDefinition<string, infer Schema> ? Static<Schema> : never;

/** Version 1 of an event type, named `<module>.<past-tense-kebab>`. */
export function defineEvent<Type extends string, Schema extends TSchema>(type: Type, schema: Schema): EventDefinition<Type, Schema> {
  return versionOf(type, 1, schema, null);
}

function versionOf<Type extends string, Schema extends TSchema>(
  type: Type,
  version: number,
  schema: Schema,
  previous: EventDefinition<Type>['previous'],
): EventDefinition<Type, Schema> {
  const definition: EventDefinition<Type, Schema> = {
    type,
    version,
    schema,
    previous,
    evolve: (next, conversion) => versionOf(type, version + 1, next, { definition, conversion: conversion as Conversion }),
  };
  return definition;
}

/** Data that does not fit the schema of the version being written or read. No retry can fix it. */
export class EventSchemaError extends Error {
  constructor(type: string, version: number, problem: string) {
    super(`${type} v${version}: ${problem}`);
    this.name = 'EventSchemaError';
  }
}

/** Throws EventSchemaError unless `data` fits the definition's schema; names fields, never values. */
export function assertFits(definition: EventDefinition, data: unknown): void {
  const problems = schemaProblems(definition.schema, data);
  if (problems.length > 0) throw new EventSchemaError(definition.type, definition.version, problems.join('; '));
}

/** Every version of the event up to `newest`, oldest first. */
export function versionsOf(newest: EventDefinition): EventDefinition[] {
  const versions: EventDefinition[] = [];
  for (let at: EventDefinition | undefined = newest; at; at = at.previous?.definition) versions.unshift(at);
  return versions;
}

/**
 * The data of an event published as version `publishedVersion`, as version `readVersion` of the
 * same type reads it: checked against the published version's schema, converted step by step,
 * and checked against the read version's. Throws EventSchemaError when any of that fails.
 */
export function readAs(newest: EventDefinition, publishedVersion: number, readVersion: number, data: unknown): unknown {
  const versions = versionsOf(newest);
  const published = versions[publishedVersion - 1];
  const read = versions[readVersion - 1];
  if (!published) throw new EventSchemaError(newest.type, publishedVersion, `no such version (the newest is v${newest.version})`);
  if (!read) throw new EventSchemaError(newest.type, readVersion, `no such version (the newest is v${newest.version})`);
  assertFits(published, data);
  let converted = data;
  for (let version = publishedVersion; version < readVersion; version++) converted = versions[version]!.previous!.conversion.up(converted);
  for (let version = publishedVersion; version > readVersion; version--) converted = versions[version - 1]!.previous!.conversion.down(converted);
  assertFits(read, converted);
  return converted;
}
