import { Kind, type SelectionSetNode, type ValidationRule } from 'graphql';
import { limitExceeded } from './limit-exceeded';

/**
 * Refuses an operation whose fields nest deeper than `maxDepth` (a root field is depth 1),
 * counting through fragments: cost and response size grow with every level.
 */
export function queryDepthRule(maxDepth: number): ValidationRule {
  return (context) => {
    // A fragment's depth does not depend on where it is spread: measured once each.
    const fragmentDepths = new Map<string, number>();
    const depthOf = (selectionSet: SelectionSetNode, spreading: ReadonlySet<string>): number => {
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const below = selection.selectionSet ? depthOf(selection.selectionSet, spreading) : 0;
          deepest = Math.max(deepest, 1 + below);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, spreading));
        } else {
          const name = selection.name.value;
          const fragment = context.getFragment(name);
          // Unknown or cyclic fragments are other rules' errors.
          if (!fragment || spreading.has(name)) continue;
          let depth = fragmentDepths.get(name);
          if (depth === undefined) {
            depth = depthOf(fragment.selectionSet, new Set([...spreading, name]));
            fragmentDepths.set(name, depth);
          }
          deepest = Math.max(deepest, depth);
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, new Set());
        if (depth > maxDepth) {
          context.reportError(
            limitExceeded(
              `query depth limit exceeded: the operation nests fields ${depth} deep; the limit (GRAPHQL_MAX_DEPTH) is ${maxDepth}`,
              operation,
            ),
          );
        }
      },
    };
  };
}
