import type { NestExpressApplication } from '@nestjs/platform-express';
import type { TrackerConfig } from '@tracker/config';
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
  app.enableShutdownHooks();
}
