import { ApiKeysResolver } from './access/api-keys.resolver';
import { RecordEventsResolver } from './ingest/record-events.resolver';
import { LiveResolver } from './live/live.resolver';
import { READ_RESOLVERS } from './reads/read-resolvers';
import { ApiStatusResolver } from './status/api-status.resolver';

/** Every resolver of the API: the schema is built from these (and printed from them). */
export const API_RESOLVERS = [
  RecordEventsResolver,
  ApiKeysResolver,
  LiveResolver,
  ApiStatusResolver,
  ...READ_RESOLVERS,
];
