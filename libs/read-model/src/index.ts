export { openDatabase } from './database/open-database';
export type { Database, OpenDatabaseOptions } from './database/open-database';
export { runMigrations, MIGRATIONS } from './database/migration-data-source';
export { startEmbeddedPostgres } from './database/embedded-postgres';
export { inSnapshot, inTransaction } from './database/sql';
export type { Sql } from './database/sql';
export { copyIn, copyText } from './database/copy-in';
export { applyEvents } from './apply-events';
export { needsSettling, settleAfterTurn } from './settle/settle';
export type { JournalRange, Settler } from './settle/settler';
export type { JournaledEvent, ApplyOptions } from './apply-events';
export { TABLES, PROJECTION_TABLES } from './tables';
export {
  NODE_KINDS,
  RELATIONS,
  nodeId,
  datasetVersionNode,
  verifierNode,
  encodeVerifierId,
  decodeVerifierId,
} from './lineage/node-id';
export type { NodeKind, Relation, Edge, DecodedVerifierId } from './lineage/node-id';
export { SERIES_SPANS } from './rollups/series-spans';
export {
  RESPONSE_TOKEN_BUCKETS,
  responseTokenBucketBounds,
} from './rollups/response-token-histogram';
export { FINISH_REASON_COLUMNS, ROLLOUT_ROLLUP_SUMS } from './rollups/rollout-rollup.sql';
export { claimedProjects, claimedVia, projectClaim } from './access/event-project';
export type { ProjectClaim } from './access/event-project';
