import { DataSource } from 'typeorm';
import { EventPath1764446400000 } from '../../../../migrations/1764446400000-event-path';
import { JournalCommitOrder1764460800000 } from '../../../../migrations/1764460800000-journal-commit-order';
import { DerivedLineageEdges1764547200000 } from '../../../../migrations/1764547200000-derived-lineage-edges';
import { DatasetAudit1764633600000 } from '../../../../migrations/1764633600000-dataset-audit';
import { RewardRollupsByJudge1764640000000 } from '../../../../migrations/1764640000000-reward-rollups-by-judge';
import { RolloutLinks1764646400000 } from '../../../../migrations/1764646400000-rollout-links';
import { VerifierNodeIds1764700000000 } from '../../../../migrations/1764700000000-verifier-node-ids';
import { DatasetMemberIssues1764720000000 } from '../../../../migrations/1764720000000-dataset-member-issues';
import { RolloutRollups1764800000000 } from '../../../../migrations/1764800000000-rollout-rollups';
import { RewardBlockRollups1764803600000 } from '../../../../migrations/1764803600000-reward-block-rollups';
import { RunJoinedMetrics1764810000000 } from '../../../../migrations/1764810000000-run-joined-metrics';
import { AccessControl1764900000000 } from '../../../../migrations/1764900000000-access-control';
import { AccessLookups1764903600000 } from '../../../../migrations/1764903600000-access-lookups';
import { AccessLookupBatches1764907200000 } from '../../../../migrations/1764907200000-access-lookup-batches';

/** Every migration, in order. A new one is added here and never edited after it lands. */
export const MIGRATIONS = [
  EventPath1764446400000,
  JournalCommitOrder1764460800000,
  DerivedLineageEdges1764547200000,
  DatasetAudit1764633600000,
  RewardRollupsByJudge1764640000000,
  RolloutLinks1764646400000,
  VerifierNodeIds1764700000000,
  DatasetMemberIssues1764720000000,
  RolloutRollups1764800000000,
  RewardBlockRollups1764803600000,
  RunJoinedMetrics1764810000000,
  AccessControl1764900000000,
  AccessLookups1764903600000,
  AccessLookupBatches1764907200000,
];

/** TypeORM is used for migrations; projections and queries go through `pg` directly. */
export function migrationDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: 1 },
  });
}

const MIGRATION_LOCK = 7_362_000;

/** Applies pending migrations; returns the names of those it applied. */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = migrationDataSource(url);
  await dataSource.initialize();
  try {
    // Several processes (api, projectors) start at once: one migrates, the others wait and
    // then find nothing pending. The pool has one connection, so the lock is this session's.
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
