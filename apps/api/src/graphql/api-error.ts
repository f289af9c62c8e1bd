import { IntrinsicException } from '@nestjs/common';
import { GraphQLError } from 'graphql';

/** The closed set of error codes the API answers with (`extensions.code`). */
export type ApiErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'LOG_UNAVAILABLE'
  | 'LOG_REFUSED'
  | 'LIMIT_EXCEEDED'
  | 'SUBSCRIBER_TOO_SLOW'
  | 'RATE_LIMITED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN';

/**
 * The API's one error type; `formatApiError` maps it (and everything else) in one place.
 * Intrinsic: an expected answer to bad input, so Nest does not log it as a server error.
 */
export class ApiError extends IntrinsicException {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  // Read by GraphQLError when one wraps this error (as graphql-ws does for subscriptions).
  get extensions(): { code: ApiErrorCode } {
    return { code: this.code };
  }
}

/** Apollo `formatError`: ApiErrors keep their code; unknown errors do not leak internals. */
export function formatApiError(
  formatted: { message: string; extensions?: Record<string, unknown> },
  error: unknown,
) {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof ApiError) {
    return {
      ...formatted,
      message: original.message,
      extensions: { ...formatted.extensions, code: original.code },
    };
  }
  return formatted;
}
