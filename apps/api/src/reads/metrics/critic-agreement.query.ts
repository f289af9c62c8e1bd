import type { Pool } from 'pg';
import type {
  AgreementCounts,
  CriticVersionAgreement,
  CriticDomainAgreement,
} from './critic-agreement.model';
import type { SeriesRequest } from './series-arguments';
import { share } from './share';
import { BUCKET_START, bucketingCte, lastStepOf } from './summed-step-buckets.sql';

export interface CriticAgreementFilter {
  readonly criticVersionId: string | null;
  readonly domain: string | null;
}

interface CountRow {
  verifiable_pairs: string;
  decisive_pairs: string;
  agreed: string;
}

const counts = (row: CountRow): AgreementCounts => {
  const decisivePairs = Number(row.decisive_pairs);
  const agreed = Number(row.agreed);
  return {
    verifiablePairs: Number(row.verifiable_pairs),
    decisivePairs,
    agreed,
    accuracy: share(agreed, decisivePairs),
  };
};

// $1 run, $2 critic version, $3 fromStep, $4 toStep (nulls: all); $5 domain where used.
const WHERE = `rl_run_id = $1 AND ($2::text IS NULL OR critic_version_id = $2)
  AND ($3::bigint IS NULL OR step >= $3) AND ($4::bigint IS NULL OR step <= $4)`;
const IN_DOMAIN = `($5::text IS NULL OR domain = $5)`;

/**
 * Critic agreement of a run from the rollups the projector keeps (critic_comparison_counts,
 * critic_agreement_rollups): per critic version, then per domain with its rubrics and series.
 */
export async function criticAgreement(
  pool: Pool,
  request: SeriesRequest,
  filter: CriticAgreementFilter,
): Promise<CriticVersionAgreement[]> {
  const params = [request.runs[0], filter.criticVersionId, request.fromStep, request.toStep];
  const [compared, totals, series] = await Promise.all([
    pool.query<{ critic_version_id: string; comparisons: string }>(
      `SELECT critic_version_id, sum(comparisons) AS comparisons FROM critic_comparison_counts
       WHERE ${WHERE}
       GROUP BY 1 ORDER BY critic_version_id COLLATE "C"`,
      params,
    ),
    pool.query<CountRow & { critic_version_id: string; domain: string; rubric_id: string }>(
      `SELECT critic_version_id, domain, rubric_id, sum(verifiable_pairs) AS verifiable_pairs,
              sum(decisive_pairs) AS decisive_pairs, sum(agreed) AS agreed
       FROM critic_agreement_rollups
       WHERE ${WHERE} AND ${IN_DOMAIN}
       GROUP BY 1, 2, 3 ORDER BY critic_version_id COLLATE "C", domain COLLATE "C", rubric_id COLLATE "C"`,
      [...params, filter.domain],
    ),
    pool.query<
      CountRow & {
        critic_version_id: string;
        domain: string;
        bucket: string;
        width: string;
        last: string;
      }
    >(
      `WITH scoped AS (
         SELECT * FROM critic_agreement_rollups
         WHERE rl_run_id = $1 AND rubric_id = ''
           AND ($3::bigint IS NULL OR step >= $3) AND ($4::bigint IS NULL OR step <= $4)
       ), picked AS (
         SELECT * FROM scoped
         WHERE ($2::text IS NULL OR critic_version_id = $2) AND ${IN_DOMAIN}
       ), ${bucketingCte('scoped', '$3', '$4', '$6')}
       SELECT p.critic_version_id, p.domain, ${BUCKET_START} AS bucket, b.width, b.last,
              sum(p.verifiable_pairs) AS verifiable_pairs, sum(p.decisive_pairs) AS decisive_pairs,
              sum(p.agreed) AS agreed
       FROM picked p CROSS JOIN bucketing b
       GROUP BY 1, 2, 3, 4, 5 ORDER BY p.critic_version_id COLLATE "C", p.domain COLLATE "C", bucket`,
      [...params, filter.domain, request.maxPoints],
    ),
  ]);

  const domains = new Map<string, CriticDomainAgreement>();
  const key = (version: string, domain: string) => `${version}\u0000${domain}`;
  for (const row of totals.rows) {
    if (row.rubric_id !== '') continue;
    domains.set(key(row.critic_version_id, row.domain), {
      domain: row.domain,
      ...counts(row),
      bucketWidth: 1, // set from its series below
      rubrics: [],
      series: [],
    });
  }
  for (const row of totals.rows) {
    if (row.rubric_id === '') continue;
    domains
      .get(key(row.critic_version_id, row.domain))!
      .rubrics.push({ rubricId: row.rubric_id, ...counts(row) });
  }
  for (const row of series.rows) {
    const domain = domains.get(key(row.critic_version_id, row.domain))!;
    const bucket = Number(row.bucket);
    domain.bucketWidth = Number(row.width);
    domain.series.push({
      fromStep: bucket,
      toStep: lastStepOf(bucket, Number(row.width), Number(row.last)),
      ...counts(row),
    });
  }

  return compared.rows.map((row) => {
    const own = [...domains.entries()]
      .filter(([domainKey]) => domainKey.startsWith(`${row.critic_version_id}\u0000`))
      .map(([, domain]) => domain);
    const sum = (field: 'verifiablePairs' | 'decisivePairs' | 'agreed') =>
      String(own.reduce((total, domain) => total + domain[field], 0));
    return {
      criticVersionId: row.critic_version_id,
      comparedPairs: Number(row.comparisons),
      ...counts({
        verifiable_pairs: sum('verifiablePairs'),
        decisive_pairs: sum('decisivePairs'),
        agreed: sum('agreed'),
      }),
      domains: own,
    };
  });
}
