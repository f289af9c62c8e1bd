import { GraphQLError, type ASTNode } from 'graphql';

/** The error every operation limit answers with: its code is the API's LIMIT_EXCEEDED. */
export function limitExceeded(message: string, node: ASTNode): GraphQLError {
  return new GraphQLError(message, {
    nodes: [node],
    extensions: { code: 'LIMIT_EXCEEDED' },
  });
}
