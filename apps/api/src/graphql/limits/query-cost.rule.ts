import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  valueFromAST,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from '../page-query';
import { MAX_POINTS } from '../../reads/metrics/series-arguments';
import { limitExceeded } from './limit-exceeded';

/** Arguments that say how many items a field returns, and the count when not given. */
const SIZE_ARGUMENTS: Readonly<Record<string, number>> = {
  first: DEFAULT_PAGE_SIZE,
  maxPoints: MAX_POINTS.default,
};

/**
 * Refuses an operation whose cost, worked out from the document alone, is above `maxCost`:
 * each field costs 1, and the first list below a field with a `first` or `maxPoints` argument
 * (a connection's `edges`, a series' `points`) costs that many times over (the argument's
 * value, from `variables` too, or its default). Nested pages multiply: 500 runs with 500
 * rewards each is 250,000 nodes.
 */
export function queryCostRule(
  maxCost: number,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): ValidationRule {
  return (context) => {
    const schema = context.getSchema();
    // A fragment's cost depends only on the multiplier it is spread under: worked out once each.
    const fragmentCosts = new Map<string, number>();
    /** `pending`: the page size the next list field down multiplies its cost by. */
    const costOf = (
      selectionSet: SelectionSetNode,
      parentType: GraphQLNamedType | undefined,
      pending: number,
      spreading: ReadonlySet<string>,
    ): number => {
      let cost = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const field = fieldOf(parentType, selection.name.value);
          const list = field !== undefined && isListType(getNullableType(field.type));
          const items = itemsOf(selection, field, variables);
          // A list takes the pending size; a connection object hands it on to its `edges`.
          const below = selection.selectionSet
            ? costOf(
                selection.selectionSet,
                field && getNamedType(field.type),
                list ? items : pending * items,
                spreading,
              )
            : 0;
          cost += (1 + below) * (list ? pending : 1);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = selection.typeCondition
            ? schema.getType(selection.typeCondition.name.value)
            : parentType;
          cost += costOf(selection.selectionSet, type ?? undefined, pending, spreading);
        } else {
          const name = selection.name.value;
          const fragment = context.getFragment(name);
          if (!fragment || spreading.has(name)) continue;
          const key = `${name}@${pending}`;
          let inFragment = fragmentCosts.get(key);
          if (inFragment === undefined) {
            const type = schema.getType(fragment.typeCondition.name.value) ?? undefined;
            inFragment = costOf(
              fragment.selectionSet,
              type,
              pending,
              new Set([...spreading, name]),
            );
            fragmentCosts.set(key, inFragment);
          }
          cost += inFragment;
        }
      }
      return cost;
    };
    return {
      OperationDefinition(operation) {
        const root = schema.getRootType(operation.operation) ?? undefined;
        const cost = costOf(operation.selectionSet, root, 1, new Set());
        if (cost > maxCost) {
          context.reportError(
            limitExceeded(
              `query cost limit exceeded: the operation costs ${cost} (each field 1, times the first/maxPoints of the pages it is under); the limit (GRAPHQL_MAX_COST) is ${maxCost}`,
              operation,
            ),
          );
        }
      },
    };
  };
}

function fieldOf(
  parentType: GraphQLNamedType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
  if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (isObjectType(parentType) || isInterfaceType(parentType)) return parentType.getFields()[name];
  return undefined;
}

/** How many items `node` asks for: its size argument's value, else that argument's default. */
function itemsOf(
  node: FieldNode,
  field: GraphQLField<unknown, unknown> | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): number {
  let items = 1;
  for (const argument of field?.args ?? []) {
    const fallback = SIZE_ARGUMENTS[argument.name];
    if (fallback === undefined) continue;
    const given = node.arguments?.find((each) => each.name.value === argument.name);
    const value = given ? valueFromAST(given.value, argument.type, variables ?? {}) : undefined;
    const size =
      typeof value === 'number'
        ? value
        : typeof argument.defaultValue === 'number'
          ? argument.defaultValue
          : fallback;
    items *= Math.max(0, size);
  }
  return items;
}
