import type { Pool } from 'pg';
import { ApiError } from '../graphql/api-error';
import type { Loaders } from '../graphql/loaders';
import type { Caller } from './caller';

/** An entity by its lineage node kind (or 'dataset': all versions of a dataset) and id. */
export interface EntityRef {
  readonly kind: string;
  readonly id: string;
}

/** Projects of each ref, in order: '{}' catalog, null not known yet (see tracker_projects_of). */
export async function projectsOf(
  pool: Pool,
  refs: readonly EntityRef[],
): Promise<(string[] | null)[]> {
  if (refs.length === 0) return [];
  const { rows } = await pool.query<{ projects: string[] | null }>(
    // Inlined by Postgres into this statement (see migration 1764907200000).
    'SELECT projects FROM tracker_projects_of_refs($1::text[], $2::text[]) ORDER BY n',
    [refs.map((ref) => ref.kind), refs.map((ref) => ref.id)],
  );
  return rows.map((row) => row.projects);
}

/** Whether the caller sees every ref (one batched query per request tick). */
export async function seesAll(
  caller: Caller,
  loaders: Loaders,
  refs: readonly EntityRef[],
): Promise<boolean> {
  if (!caller.restricted || refs.length === 0) return true;
  const projects = await Promise.all(
    refs.map((ref) =>
      loaders.load<EntityRef, string[] | null>('projectsOf', ref, (keys) =>
        projectsOf(loaders.pool, keys),
      ),
    ),
  );
  return projects.every((of) => caller.sees(of));
}

const KIND_NAMES: Record<string, string> = {
  rl_run: 'rl run',
  synthesis_run: 'synthesis run',
  critic_version: 'critic version',
  dataset_version: 'dataset version',
};

/**
 * Throws FORBIDDEN unless the caller sees every ref. The answer is the same whether the entity
 * exists or not, so a key learns nothing of other projects from it.
 */
export async function assertSees(
  caller: Caller,
  loaders: Loaders,
  refs: readonly EntityRef[],
): Promise<void> {
  const verdicts = await Promise.all(refs.map((ref) => seesAll(caller, loaders, [ref])));
  const hidden = verdicts.indexOf(false);
  if (hidden < 0) return;
  const ref = refs[hidden];
  throw new ApiError(
    'FORBIDDEN',
    `${KIND_NAMES[ref.kind] ?? ref.kind} ${JSON.stringify(ref.id)} is not in the projects of ${caller.label} (${[...caller.projects!].join(', ')}), or its project is not known yet`,
  );
}
