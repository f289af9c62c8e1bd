// SQL fragments for views of a dataset as the journal held it at a time. Every event about a
// dataset has the subject `dataset:ID`, and a member row keeps the journal position of the event
// that added it, so "in the version at T" is "added by one of the dataset's events journaled by
// T" (event_journal.projected_at: the start of the projector transaction that journaled it).

/** SQL of a dataset's subject, from an SQL expression of its id. */
export const datasetSubjectSql = (datasetId: string) => `'dataset:' || ${datasetId}`;

/** SQL selecting the positions of a dataset's events journaled at or before `asOf` (SQL expressions). */
export const journaledPositionsSql = (datasetId: string, asOf: string) =>
  `SELECT j.position FROM event_journal j
   WHERE j.subject = ${datasetSubjectSql(datasetId)} AND j.projected_at <= ${asOf}`;

/**
 * SQL selecting a version's seal events (position, projected_at), found through the partial
 * lifecycle index; the version is read from the (small) seal envelope as received.
 */
export const sealEventsSql = (datasetId: string, version: string) =>
  `SELECT s.position, s.projected_at FROM event_journal s
   WHERE s.subject = ${datasetSubjectSql(datasetId)} AND s.type = 'dataset.sealed'
     AND (s.envelope -> 'data' ->> 'version')::numeric = ${version}`;
