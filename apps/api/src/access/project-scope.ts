import type { SqlCondition } from '../graphql/page-query';
import type { Caller } from './caller';

/**
 * Conditions that keep a page to the caller's projects in SQL, so that a key of one project
 * pages through its own rows instead of pages emptied by the answer filter (which still runs:
 * this is for speed, apply-access-control.ts is the guard). None for a key of every project.
 */
export function projectScope(
  caller: Caller,
  column: 'project' | 'rl_run_id' | 'synthesis_run_id',
): SqlCondition[] {
  if (!caller.projects) return [];
  const projects = [...caller.projects];
  switch (column) {
    case 'project':
      return [(param) => `project = ANY(${param(projects)}::text[])`];
    case 'rl_run_id':
      return [
        (param) =>
          `rl_run_id IN (SELECT rl_run_id FROM rl_runs WHERE project = ANY(${param(projects)}::text[]))`,
      ];
    case 'synthesis_run_id':
      return [
        (param) =>
          `synthesis_run_id IN (SELECT synthesis_run_id FROM synthesis_runs WHERE project = ANY(${param(projects)}::text[]))`,
      ];
  }
}
