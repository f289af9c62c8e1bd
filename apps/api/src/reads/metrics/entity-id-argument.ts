import { ApiError } from '../../graphql/api-error';

/** An id argument as events carry ids (1..128 characters); else BAD_USER_INPUT naming it. */
export function checkEntityId(argument: string, value: string): string {
  if (value.length < 1 || value.length > 128) {
    throw new ApiError(
      'BAD_USER_INPUT',
      `${argument}: must be 1 to 128 characters (got ${value.length})`,
    );
  }
  return value;
}
