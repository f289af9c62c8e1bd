import type { Loaders } from '../../graphql/loaders';
import { datasetVersionsAsOf, type DatasetVersionAsOfKey } from './dataset-version-as-of.query';
import {
  DatasetVersion,
  toDatasetVersion,
  toDatasetVersionAsOf,
  type DatasetVersionRow,
} from './dataset-version.model';
import {
  calledToolsByVersion,
  datasetVersionsByKey,
  versionsContaining,
  type CalledTools,
  type DatasetVersionKey,
  type DatasetVersionView,
} from './dataset-version.query';

/**
 * A dataset version by its key, batched per request (dataset versions are keyed by two
 * columns); with `asOf`, as the journal held it then (null if it had no event by then).
 */
export async function loadDatasetVersion(
  loaders: Loaders,
  key: DatasetVersionKey,
  asOf: Date | null = null,
): Promise<DatasetVersion | null> {
  if (asOf) {
    const row = await loaders.load<DatasetVersionAsOfKey, DatasetVersionRow | null>(
      'datasetVersion.asOf',
      { datasetId: key.datasetId, version: key.version, asOf },
      (keys) => datasetVersionsAsOf(loaders.pool, keys),
    );
    return row && toDatasetVersionAsOf(row, asOf);
  }
  const row = await loaders.load<DatasetVersionKey, DatasetVersionRow | null>(
    'datasetVersion',
    { datasetId: key.datasetId, version: key.version },
    (keys) => datasetVersionsByKey(loaders.pool, keys),
  );
  return row && toDatasetVersion(row);
}

/** The tools called by a version's trajectory members (ids, and the registered tools). */
export function loadCalledTools(loaders: Loaders, view: DatasetVersionView): Promise<CalledTools> {
  return loaders.load<DatasetVersionView, CalledTools>(
    'datasetVersion.calledTools',
    { datasetId: view.datasetId, version: view.version, asOf: view.asOf },
    (views) => calledToolsByVersion(loaders.pool, views),
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
  return rows.map((row) => toDatasetVersion(row));
}
