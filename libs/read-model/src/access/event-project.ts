import type { TrackerEvent } from '@tracker/events';
import type { Sql } from '../database/sql';

/**
 * The project an event writes into: named by a run's started event, else its run's (or its
 * checkpoint's run's) project as projected so far; catalog events (tools, agents and tasks of
 * no run, datasets, whose project follows from their members) write into none.
 */
export type ProjectClaim =
  | { readonly project: string }
  | { readonly kind: 'rl_run' | 'synthesis_run' | 'checkpoint'; readonly id: string }
  | null;

export function projectClaim(event: TrackerEvent): ProjectClaim {
  switch (event.type) {
    case 'rl.started':
    case 'synthesis.started':
      return { project: event.data.project ?? 'default' };
    case 'checkpoint.saved':
    case 'rollout.completed':
    case 'reward.assigned':
    case 'critic.compared':
    case 'critic.updated':
    case 'rl.finished':
      return { kind: 'rl_run', id: event.data.rlRunId };
    case 'trajectory.recorded':
    case 'synthesis.completed':
      return { kind: 'synthesis_run', id: event.data.synthesisRunId };
    case 'agent.defined':
      return event.data.synthesisRunId
        ? { kind: 'synthesis_run', id: event.data.synthesisRunId }
        : null;
    case 'evaluation.recorded':
      return { kind: 'checkpoint', id: event.data.checkpointId };
    case 'tool.registered':
    case 'task.defined':
    case 'dataset.members.added':
    case 'dataset.sealed':
      return null;
  }
}

/** The run (or checkpoint) whose project an event takes, as `KIND ID`, for messages. */
export function claimedVia(event: TrackerEvent): string | null {
  const claim = projectClaim(event);
  return claim && 'kind' in claim ? `${claim.kind} ${claim.id}` : null;
}

/**
 * The project each event writes into, in order: a name, null for none (catalog), or undefined
 * when its run has not been started yet (its started event, wherever it comes from, decides).
 * A run started among `events` decides for its events here too. One query for the lot.
 */
export async function claimedProjects(
  sql: Sql,
  events: readonly TrackerEvent[],
): Promise<(string | null | undefined)[]> {
  const claims = events.map(projectClaim);
  const lookups = claims.flatMap((claim, index) =>
    claim && 'kind' in claim ? [{ index, kind: claim.kind, id: claim.id }] : [],
  );
  const found = new Map<number, string[] | null>();
  if (lookups.length > 0) {
    const { rows } = await sql.query<{ n: string; projects: string[] | null }>(
      'SELECT n, projects FROM tracker_projects_of_refs($1::text[], $2::text[])',
      [lookups.map((lookup) => lookup.kind), lookups.map((lookup) => lookup.id)],
    );
    for (const row of rows) found.set(lookups[Number(row.n) - 1].index, row.projects);
  }
  const startedHere = new Map<string, string>();
  events.forEach((event, index) => {
    const claim = claims[index];
    if (!claim || !('project' in claim)) return;
    if (event.type === 'rl.started') startedHere.set(`rl_run ${event.data.rlRunId}`, claim.project);
    if (event.type === 'synthesis.started') {
      startedHere.set(`synthesis_run ${event.data.synthesisRunId}`, claim.project);
    }
  });
  return claims.map((claim, index) => {
    if (claim === null) return null;
    if ('project' in claim) return claim.project;
    return found.get(index)?.[0] ?? startedHere.get(`${claim.kind} ${claim.id}`);
  });
}
