/**
 * Postgres errors caused by the data of one event (bad value, constraint): SQLSTATE classes 22
 * (data exception) and 23 (integrity constraint). Anything else (connection, serialization,
 * deadlock) is transient or a bug, and fails the whole batch so that it is retried.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
