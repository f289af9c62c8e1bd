import type { Loaders } from '../../graphql/loaders';
import { DatasetVersion, toDatasetVersion, type DatasetVersionRow } from './dataset-version.model';
import {
  calledToolsByVersion,
  datasetVersionsByKey,
  versionsContaining,
  type CalledTools,
  type DatasetVersionKey,
} from './dataset-version.query';

/** A dataset version by its key, batched per request (dataset versions are keyed by two columns). */
export async function loadDatasetVersion(
  loaders: Loaders,
  key: DatasetVersionKey,
): Promise<DatasetVersion | null> {
  const row = await loaders.load<DatasetVersionKey, DatasetVersionRow | null>(
    'datasetVersion',
    { datasetId: key.datasetId, version: key.version },
    (keys) => datasetVersionsByKey(loaders.pool, keys),
  );
  return row && toDatasetVersion(row);
}

/** The tools called by a version's trajectory members (ids, and the registered tools). */
export function loadCalledTools(loaders: Loaders, key: DatasetVersionKey): Promise<CalledTools> {
  return loaders.load<DatasetVersionKey, CalledTools>(
    'datasetVersion.calledTools',
    { datasetId: key.datasetId, version: key.version },
    (keys) => calledToolsByVersion(loaders.pool, keys),
  );
}

/** The dataset versions that contain a trajectory or a task. */
export async function loadVersionsContaining(
  loaders: Loaders,
  kind: 'trajectory' | 'task',
  memberId: string,
): Promise<DatasetVersion[]> {
  const rows = await loaders.load<string, DatasetVersionRow[]>(
    `datasetVersions.containing.${kind}`,
    memberId,
    (ids) => versionsContaining(loaders.pool, kind, ids),
  );
  return rows.map(toDatasetVersion);
}
