import {
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { ApiError } from '../graphql/api-error';
import type { GraphQLContext } from '../graphql/loaders';
import {
  argumentRefs,
  ENTITY_TYPES,
  ROOT_POLICIES,
  UNCHECKED_TYPES,
  type RootPolicy,
} from './access-policy';
import type { Caller } from './caller';
import { assertSees, seesAll, type EntityRef } from './project-visibility';

type Resolver = GraphQLFieldResolver<unknown, GraphQLContext>;
type RefsOf = (value: unknown) => EntityRef[] | null;

/**
 * Enforces access-policy.ts on every resolver of the schema (HTTP and graphql-ws alike): root
 * fields check the caller's scope and that the entities their arguments name are visible; every
 * field whose type is a project-bound entity drops what the caller may not see (lists lose the
 * item, nullable fields answer null, non-null ones fail with FORBIDDEN); subscriptions skip
 * such events. Callers of every project pay nothing beyond the scope check.
 */
export function applyAccessControl(schema: GraphQLSchema): GraphQLSchema {
  const refsOf = classifyTypes(schema);
  const rootTypes = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  for (const root of rootTypes) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      const policy = ROOT_POLICIES[`${root.name}.${field.name}`];
      if (!policy) {
        throw new Error(
          `access policy: ${root.name}.${field.name} is not in ROOT_POLICIES (apps/api/src/access/access-policy.ts)`,
        );
      }
    }
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const root = rootTypes.includes(type);
    for (const field of Object.values(type.getFields())) {
      const original = field.resolve ?? defaultFieldResolver;
      const filtered = filteringResolver(field, refsOf, schema);
      if (!root) {
        if (filtered) field.resolve = filtered;
        continue;
      }
      const policy = ROOT_POLICIES[`${type.name}.${field.name}`];
      const what = `${type.name}.${field.name}`;
      field.resolve = guardedResolver(what, policy, filtered ?? original);
      if (field.subscribe) {
        field.subscribe = guardedSubscribe(what, policy, field, original, refsOf, schema);
      }
    }
  }
  return schema;
}

/** The refs of each project-bound type; throws for an object type the policy does not list. */
function classifyTypes(schema: GraphQLSchema): Map<string, RefsOf> {
  const refsOf = new Map<string, RefsOf>(Object.entries(ENTITY_TYPES) as [string, RefsOf][]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    if (refsOf.has(type.name) || UNCHECKED_TYPES.has(type.name)) continue;
    const fields = type.getFields();
    // A connection's edge stands for its node; a connection is its edges (and pageInfo).
    const node = fields.node && getNamedType(fields.node.type).name;
    const nodeRefs = node ? refsOf.get(node) : undefined;
    if (nodeRefs) {
      refsOf.set(type.name, (edge) => nodeRefs((edge as { node: unknown }).node));
      continue;
    }
    if (node && UNCHECKED_TYPES.has(node)) continue;
    if (fields.edges && fields.pageInfo && Object.keys(fields).length === 2) continue;
    throw new Error(
      `access policy: type ${type.name} is neither in ENTITY_TYPES nor in UNCHECKED_TYPES (apps/api/src/access/access-policy.ts)`,
    );
  }
  return refsOf;
}

function callerOf(context: GraphQLContext): Caller {
  // Fail closed: a context built without authentication answers nothing.
  if (!context?.caller) throw new Error('no caller in the GraphQL context');
  return context.caller;
}

function guardedResolver(what: string, policy: RootPolicy, resolve: Resolver): Resolver {
  return (source, args, context, info) => {
    const caller = callerOf(context);
    caller.require(policy.scope, what);
    if (!caller.restricted) return resolve(source, args, context, info);
    return admit(what, policy, caller, args, context).then(() =>
      resolve(source, args, context, info),
    );
  };
}

async function admit(
  what: string,
  policy: RootPolicy,
  caller: Caller,
  args: Record<string, unknown>,
  context: GraphQLContext,
): Promise<void> {
  if (policy.everyProject) {
    throw new ApiError(
      'FORBIDDEN',
      `${what} spans every project; ${caller.label} is limited to ${[...caller.projects!].join(', ')}`,
    );
  }
  await assertSees(caller, context.loaders, argumentRefs(args, policy));
}

function guardedSubscribe(
  what: string,
  policy: RootPolicy,
  field: GraphQLField<unknown, GraphQLContext>,
  resolve: Resolver,
  refsOf: Map<string, RefsOf>,
  schema: GraphQLSchema,
): Resolver {
  const subscribe = field.subscribe!;
  return async (source, args, context, info) => {
    const caller = callerOf(context);
    caller.require(policy.scope, what);
    if (!caller.restricted) return subscribe(source, args, context, info);
    await admit(what, policy, caller, args, context);
    const events = (await subscribe(source, args, context, info)) as AsyncIterator<unknown>;
    // Skip events whose answer the caller may not see (runStatusChanged of every run).
    return filteredIterator(events, async (payload) => {
      const value = await resolve(payload, args, context, info);
      return (await visibleValue(value, field.type, refsOf, schema, context, info)) !== HIDDEN;
    });
  };
}

function filteredIterator<T>(
  source: AsyncIterator<T>,
  keep: (value: T) => Promise<boolean>,
): AsyncIterableIterator<T> {
  return {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done || (await keep(result.value))) return result;
      }
    },
    // Straight to the source, so that ending a subscription stays prompt.
    return: (value?: unknown) =>
      source.return ? source.return(value) : Promise.resolve({ done: true, value: undefined }),
    throw: (error?: unknown) =>
      source.throw
        ? source.throw(error)
        : Promise.reject(error instanceof Error ? error : new Error(String(error))),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Whether a field's type holds project-bound entities, directly or in a union. */
function holdsEntities(
  type: GraphQLNamedType,
  refsOf: Map<string, RefsOf>,
  schema: GraphQLSchema,
): boolean {
  if (isAbstractType(type)) {
    return schema.getPossibleTypes(type).some((member) => refsOf.has(member.name));
  }
  return refsOf.has(type.name);
}

function filteringResolver(
  field: GraphQLField<unknown, GraphQLContext>,
  refsOf: Map<string, RefsOf>,
  schema: GraphQLSchema,
): Resolver | null {
  if (!holdsEntities(getNamedType(field.type), refsOf, schema)) return null;
  const resolve = field.resolve ?? defaultFieldResolver;
  return (source, args, context, info) => {
    const result = resolve(source, args, context, info);
    if (!callerOf(context).restricted) return result;
    return Promise.resolve(result).then(async (value) => {
      const visible = await visibleValue(value, field.type, refsOf, schema, context, info);
      if (visible !== HIDDEN) return visible;
      if (!isNonNullType(field.type)) return null;
      throw new ApiError(
        'FORBIDDEN',
        `${info.parentType.name}.${info.fieldName} holds what is not in the projects of ${callerOf(context).label}`,
      );
    });
  };
}

const HIDDEN = Symbol('hidden');

/** The value with what the caller may not see taken out of lists, or HIDDEN. */
async function visibleValue(
  value: unknown,
  type: GraphQLOutputType,
  refsOf: Map<string, RefsOf>,
  schema: GraphQLSchema,
  context: GraphQLContext,
  info: GraphQLResolveInfo,
): Promise<unknown> {
  value = await value;
  if (value === null || value === undefined) return value;
  if (isNonNullType(type)) return visibleValue(value, type.ofType, refsOf, schema, context, info);
  if (isListType(type)) {
    const items = await Promise.all([...(value as Iterable<unknown>)]);
    const itemType = getNullableType(type.ofType);
    const refs = isListType(itemType) ? undefined : refsOf.get(itemType.name);
    // A page of one entity type: each distinct entity checked once, not once per item.
    if (refs) return visibleItems(items, refs, context);
    const checked = await Promise.all(
      items.map((item) => visibleValue(item, type.ofType, refsOf, schema, context, info)),
    );
    return checked.filter((item) => item !== HIDDEN);
  }
  const named = await concreteTypeName(value, type as GraphQLNamedType, schema, context, info);
  if (named === null) return HIDDEN; // fail closed: a union member we cannot tell
  const refs = refsOf.get(named);
  if (!refs) return value; // a catalog member of a union (a tool, a verifier)
  const of = refs(value);
  if (of === null) return HIDDEN;
  return (await seesAll(callerOf(context), context.loaders, of)) ? value : HIDDEN;
}

async function visibleItems(
  items: readonly unknown[],
  refsOf: RefsOf,
  context: GraphQLContext,
): Promise<unknown[]> {
  const caller = callerOf(context);
  const itemRefs = items.map((item) => (item === null || item === undefined ? [] : refsOf(item)));
  const distinct = new Map<string, EntityRef>();
  for (const refs of itemRefs) {
    for (const ref of refs ?? []) distinct.set(`${ref.kind}\u0000${ref.id}`, ref);
  }
  const keys = [...distinct.keys()];
  const seen = await Promise.all(
    keys.map((key) => seesAll(caller, context.loaders, [distinct.get(key)!])),
  );
  const visible = new Set(keys.filter((_, index) => seen[index]));
  return items.filter((_, index) => {
    const refs = itemRefs[index];
    return refs !== null && refs.every((ref) => visible.has(`${ref.kind}\u0000${ref.id}`));
  });
}

async function concreteTypeName(
  value: unknown,
  type: GraphQLNamedType,
  schema: GraphQLSchema,
  context: GraphQLContext,
  info: GraphQLResolveInfo,
): Promise<string | null> {
  if (!isAbstractType(type)) return type.name;
  const resolved = await type.resolveType?.(value, context, info, type);
  if (typeof resolved === 'string') return resolved;
  for (const candidate of schema.getPossibleTypes(type)) {
    if (await candidate.isTypeOf?.(value, context, info)) return candidate.name;
  }
  return null;
}
