/** Why a request body could not be read as events at all (HTTP 400). */
export class EventBodyError extends Error {}

/**
 * Splits an HTTP body into events: a JSON array, one JSON object, or NDJSON (one event per
 * line; blank lines ignored). NDJSON lines are returned unparsed, so that a broken line is
 * rejected alone with its own reason instead of failing the whole body.
 */
export function parseEventBody(body: unknown, contentType: string | undefined): unknown[] {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (
    type === 'application/x-ndjson' ||
    type === 'application/ndjson' ||
    type === 'application/jsonl'
  ) {
    if (typeof body !== 'string') throw new EventBodyError('expected an NDJSON body');
    return body.split('\n').filter((line) => line.trim() !== '');
  }
  if (
    type === 'application/json' ||
    type === 'application/cloudevents-batch+json' ||
    type === 'application/cloudevents+json'
  ) {
    if (Array.isArray(body)) return body;
    if (body !== null && typeof body === 'object') return [body];
    throw new EventBodyError('expected a JSON array of events or one event object');
  }
  throw new EventBodyError(
    `unsupported Content-Type ${JSON.stringify(contentType ?? '')}: send application/json (an array or one event) or application/x-ndjson`,
  );
}
