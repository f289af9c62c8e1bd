// The little of Express's response used here (the project does not depend on its types).
interface JsonResponse {
  status(code: number): { json(body: unknown): unknown };
}

/** What body-parser throws when a body is over its limit. */
interface TooLargeError {
  type: 'entity.too.large';
  limit: number;
  length?: number;
}

function isTooLarge(error: unknown): error is TooLargeError {
  return (error as { type?: unknown } | null)?.type === 'entity.too.large';
}

/**
 * Express error handler after the body parsers: a body over INGEST_MAX_BODY_BYTES gets a 413
 * whose JSON names the limit (body-parser's own says only "request entity too large").
 */
export function bodyTooLarge(
  error: unknown,
  _request: unknown,
  response: JsonResponse,
  next: (error: unknown) => void,
): void {
  if (!isTooLarge(error)) return next(error);
  const size = error.length === undefined ? 'larger' : `${error.length} bytes`;
  response.status(413).json({
    statusCode: 413,
    error: 'Payload Too Large',
    message: `request body is ${size}; the limit (INGEST_MAX_BODY_BYTES) is ${error.limit} bytes: split the batch`,
  });
}
