import { journaledPositionsSql } from './dataset-as-of.sql';

/**
 * The members of a version that one audit reads: those added at or before journal position
 * `through` (the last position visible when the audit began; positions become visible in
 * order, so every statement of the audit sees the same members however many it runs), and for
 * an as-of view only those added by events journaled by `asOf`.
 */
export interface MemberCut {
  datasetId: string;
  version: number;
  through: string;
  asOf: Date | null;
}

/** Parameters $1..$3 (dataset id, version, through) and $4 (asOf) when set; more follow them. */
export const cutParams = (cut: MemberCut): unknown[] => [
  cut.datasetId,
  cut.version,
  cut.through,
  ...(cut.asOf ? [cut.asOf] : []),
];

/** The `$n` of the first parameter a statement adds after the cut's. */
export const nextParam = (cut: MemberCut): number => (cut.asOf ? 5 : 4);

/** SQL conditions selecting the cut's rows of `alias` (dataset_members or dataset_findings). */
export function cutConditionSql(cut: MemberCut, alias: string): string {
  const conditions = [
    `${alias}.dataset_id = $1::text`,
    `${alias}.version = $2::int`,
    `${alias}.position <= $3::bigint`,
  ];
  if (cut.asOf)
    conditions.push(
      `${alias}.position IN (${journaledPositionsSql('$1::text', '$4::timestamptz')})`,
    );
  return conditions.join(' AND ');
}
