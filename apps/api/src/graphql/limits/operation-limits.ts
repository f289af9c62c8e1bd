import { validate, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { TrackerConfig } from '@tracker/config';
import { aliasCountRule } from './alias-count.rule';
import { queryCostRule } from './query-cost.rule';
import { queryDepthRule } from './query-depth.rule';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

/** The limits as configured (GRAPHQL_MAX_DEPTH, GRAPHQL_MAX_ALIASES, GRAPHQL_MAX_COST). */
export function operationLimits(config: TrackerConfig): OperationLimits {
  return {
    maxDepth: config.graphqlMaxDepth,
    maxAliases: config.graphqlMaxAliases,
    maxCost: config.graphqlMaxCost,
  };
}

/**
 * What a (valid) document breaks of `limits`, as LIMIT_EXCEEDED errors; empty when it may run.
 * Checked before execution, with the variables: `first: $n` counts at the value of $n.
 */
export function operationLimitErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  limits: OperationLimits,
): readonly GraphQLError[] {
  return validate(schema, document, [
    queryDepthRule(limits.maxDepth),
    aliasCountRule(limits.maxAliases),
    queryCostRule(limits.maxCost, variables),
  ]);
}
