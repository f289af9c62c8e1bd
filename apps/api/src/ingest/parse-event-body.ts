/** Why a request body could not be read as events at all (HTTP 400). */
export class EventBodyError extends Error {}

/**
 * Splits an HTTP body into events: a JSON array, one JSON object, or NDJSON (one event per
 * line; blank lines ignored). NDJSON lines are returned unparsed, as bytes, so that a broken
 * line is rejected alone with its own reason instead of failing the whole body.
 */
export function parseEventBody(body: unknown, contentType: string | undefined): unknown[] {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (
    type === 'application/x-ndjson' ||
    type === 'application/ndjson' ||
    type === 'application/jsonl'
  ) {
    if (body === undefined) return [];
    if (!Buffer.isBuffer(body)) throw new EventBodyError('expected an NDJSON body');
    // Lines stay bytes: the decoder checks each one is UTF-8 (a text parser would not tell).
    return splitLines(body).filter((line) => line.toString('utf8').trim() !== '');
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

function splitLines(body: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let end = body.indexOf(0x0a); end !== -1; end = body.indexOf(0x0a, start)) {
    lines.push(body.subarray(start, end));
    start = end + 1;
  }
  lines.push(body.subarray(start));
  return lines;
}
