import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { operationLimitErrors, type OperationLimits } from './operation-limits';

/**
 * Checks every HTTP operation against the limits once Apollo has parsed and validated it, and
 * before it executes (Apollo's `validationRules` cannot: they do not see the variables).
 */
export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ schema, document, request }) {
          const [error] = operationLimitErrors(schema, document, request.variables, limits);
          if (!error) return Promise.resolve();
          // 400 as for a validation failure: refused as sent (Apollo drops `http` from the answer).
          const refused = new GraphQLError(error.message, {
            nodes: error.nodes,
            extensions: { ...error.extensions, http: { status: 400 } },
          });
          return Promise.reject(refused);
        },
      });
    },
  };
}
