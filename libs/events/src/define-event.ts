import type { Static, TSchema } from '@sinclair/typebox';

/** Turns a payload of schema version n into version n+1. Pure, no I/O. */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/** A rule JSON Schema cannot state (e.g. one field's value must appear in another). */
export type DataRule<Data> = (data: Data) => { field: string; message: string } | undefined;

export interface EventDefinition<Type extends string = string, Schema extends TSchema = TSchema> {
  readonly type: Type;
  /** The aggregate kind, the part of the subject before the colon. */
  readonly subjectKind: string;
  /** The subject an event of this type must carry, derived from its payload. */
  readonly subject: (data: Static<Schema>) => string;
  /** The payload schema at `currentVersion`: validator, published JSON Schema and TS type at once. */
  readonly schema: Schema;
  readonly currentVersion: number;
  /** upcasters[n] turns version n into n + 1; every version below current has one. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
  readonly rules: ReadonlyArray<DataRule<Static<Schema>>>;
  /** One line for docs and the published schema. */
  readonly description: string;
}

export function defineEvent<const Type extends string, Schema extends TSchema>(definition: {
  type: Type;
  subjectKind: string;
  subject: (data: Static<Schema>) => string;
  schema: Schema;
  description: string;
  currentVersion?: number;
  upcasters?: Record<number, Upcaster>;
  rules?: Array<DataRule<Static<Schema>>>;
}): EventDefinition<Type, Schema> {
  const currentVersion = definition.currentVersion ?? 1;
  for (let version = 1; version < currentVersion; version++) {
    if (!definition.upcasters?.[version]) {
      throw new Error(
        `${definition.type}: no upcaster from schema version ${version} to ${version + 1}`,
      );
    }
  }
  return {
    ...definition,
    currentVersion,
    upcasters: definition.upcasters ?? {},
    rules: definition.rules ?? [],
  };
}
