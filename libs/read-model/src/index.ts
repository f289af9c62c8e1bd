export { openDatabase } from './database/open-database';
export type { Database, OpenDatabaseOptions } from './database/open-database';
export { runMigrations, MIGRATIONS } from './database/migration-data-source';
export { startEmbeddedPostgres } from './database/embedded-postgres';
export { inTransaction, queryRows } from './database/sql';
export type { Sql } from './database/sql';
export { applyEvents } from './apply-events';
export type { JournaledEvent } from './apply-events';
export { PROJECTIONS } from './projections';
export { TABLES, PROJECTION_TABLES } from './tables';
export {
  NODE_KINDS,
  nodeId,
  parseNodeId,
  datasetVersionNode,
  verifierNode,
} from './lineage/node-id';
export type { NodeKind, Relation, Edge } from './lineage/node-id';
