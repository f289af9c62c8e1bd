import { isUtf8 } from 'node:buffer';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { TrackerConfig } from '@tracker/config';
import { Authenticator } from './access/authenticator';
import { httpAuthentication } from './access/http-authentication';
import { bodyTooLarge } from './body-too-large';

/** Body parsing for the ingest door: large JSON arrays and NDJSON as text. */
export function configureHttp(app: NestExpressApplication, config: TrackerConfig): void {
  app.useBodyParser('json', {
    limit: config.ingestMaxBodyBytes,
    type: [
      'application/json',
      'application/cloudevents-batch+json',
      'application/cloudevents+json',
    ],
    verify: requireUtf8,
    // Any JSON value parses, so that `42` gets the ingest's own answer (which body it expects).
    strict: false,
  });
  // NDJSON as bytes: each line reaches the decoder as sent, so that a line that is not UTF-8 is
  // refused alone (a text parser would quietly turn its bad bytes into U+FFFD and accept it).
  app.useBodyParser('raw', {
    limit: config.ingestMaxBodyBytes,
    type: ['application/x-ndjson', 'application/ndjson', 'application/jsonl'],
  });
  // Registered now, so it follows the parsers and precedes the routes.
  app.use(bodyTooLarge);
  // Every door to data needs a key once one exists; the page and /health carry none.
  const authenticate = httpAuthentication(app.get(Authenticator));
  app.use('/graphql', authenticate);
  app.use('/v1', authenticate);
  app.enableShutdownHooks();
}

/**
 * A JSON body must be UTF-8 (the contract): refused whole with a 400, as one array cannot be
 * split into events before it is parsed. Without this its bad bytes would become U+FFFD.
 */
function requireUtf8(_request: unknown, _response: unknown, body: Buffer): void {
  if (!isUtf8(body)) {
    throw Object.assign(new Error('request body is not valid UTF-8'), { status: 400 });
  }
}
