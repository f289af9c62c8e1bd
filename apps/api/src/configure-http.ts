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
  });
  app.useBodyParser('text', {
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
