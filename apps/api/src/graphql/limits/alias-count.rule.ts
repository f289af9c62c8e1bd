import { Kind, type SelectionSetNode, type ValidationRule } from 'graphql';
import { limitExceeded } from './limit-exceeded';

/**
 * Refuses an operation with more than `maxAliases` aliased fields, counting through fragments
 * (each spread counts again): without aliases a repeated field merges into one, with them
 * `a1: rlRuns ... a500: rlRuns` executes 500 times (alias bombing).
 */
export function aliasCountRule(maxAliases: number): ValidationRule {
  return (context) => {
    const fragmentCounts = new Map<string, number>();
    const aliasesIn = (selectionSet: SelectionSetNode, spreading: ReadonlySet<string>): number => {
      let count = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.alias) count += 1;
          if (selection.selectionSet) count += aliasesIn(selection.selectionSet, spreading);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          count += aliasesIn(selection.selectionSet, spreading);
        } else {
          const name = selection.name.value;
          const fragment = context.getFragment(name);
          if (!fragment || spreading.has(name)) continue;
          let inFragment = fragmentCounts.get(name);
          if (inFragment === undefined) {
            inFragment = aliasesIn(fragment.selectionSet, new Set([...spreading, name]));
            fragmentCounts.set(name, inFragment);
          }
          count += inFragment;
        }
      }
      return count;
    };
    return {
      OperationDefinition(operation) {
        const count = aliasesIn(operation.selectionSet, new Set());
        if (count > maxAliases) {
          context.reportError(
            limitExceeded(
              `alias limit exceeded: the operation has ${count} aliased fields; the limit (GRAPHQL_MAX_ALIASES) is ${maxAliases}`,
              operation,
            ),
          );
        }
      },
    };
  };
}
