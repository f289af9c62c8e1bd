import type { Pool } from 'pg';
import { share } from './share';
import type { SynthesisFunnel } from './synthesis-funnel.model';

/**
 * A synthesis run's funnel from synthesis_funnels (kept by the projector); null when the tracker
 * knows neither the run nor any of its trajectories. A known run without trajectories is all 0.
 */
export async function synthesisFunnel(
  pool: Pool,
  synthesisRunId: string,
): Promise<SynthesisFunnel | null> {
  const { rows } = await pool.query<{
    known: boolean;
    trajectories: string | null;
    passed_trajectories: string | null;
    tasks: string | null;
    passed_tasks: string | null;
    tools_called: string | null;
    tools_registered: string | null;
    catalog_tools: string;
  }>(
    `SELECT f.synthesis_run_id IS NOT NULL
              OR EXISTS (SELECT 1 FROM synthesis_runs r WHERE r.synthesis_run_id = $1) AS known,
            f.trajectories, f.passed_trajectories, f.tasks, f.passed_tasks, f.tools_called,
            f.tools_registered, (SELECT count(*) FROM tools) AS catalog_tools
     FROM (SELECT $1::text AS synthesis_run_id) AS wanted
     LEFT JOIN synthesis_funnels f USING (synthesis_run_id)`,
    [synthesisRunId],
  );
  const [row] = rows;
  if (!row.known) return null;
  const trajectories = Number(row.trajectories ?? 0);
  const passedTrajectories = Number(row.passed_trajectories ?? 0);
  const toolsCalled = Number(row.tools_called ?? 0);
  const toolsRegistered = Number(row.tools_registered ?? 0);
  return {
    synthesisRunId,
    tasks: Number(row.tasks ?? 0),
    passedTasks: Number(row.passed_tasks ?? 0),
    trajectories,
    passedTrajectories,
    passedShare: share(passedTrajectories, trajectories),
    toolsCalled,
    toolsRegistered,
    toolsUnregistered: toolsCalled - toolsRegistered,
    catalogTools: Number(row.catalog_tools),
  };
}
