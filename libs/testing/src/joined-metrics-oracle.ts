import type { EventData } from '@tracker/events';
import type { AnyWireEvent } from './joined-metrics-run';

// The joined metrics computed the plain way, from the raw events in journal order, as a test
// oracle: entity ids first-wins, every figure recounted from scratch (no increments, no SQL), so
// that it can disagree with what the projector's settlers kept.

/** An event with the journal position it got (each event id once). */
export interface JournaledWireEvent {
  readonly event: AnyWireEvent;
  readonly position: number;
}

export interface GroupRewardStatsRow {
  rl_run_id: string;
  group_id: string;
  kind: string;
  domain: string;
  step: number;
  rewards: number;
  min: number;
  max: number;
  pass_count: number;
}

export interface GroupStepStatsRow {
  rl_run_id: string;
  kind: string;
  domain: string;
  step: number;
  groups: number;
  rewards: number;
  multi_reward_groups: number;
  zero_variance_groups: number;
  pass_groups: number;
}

export interface CriticAgreementRow {
  rl_run_id: string;
  critic_version_id: string;
  domain: string;
  rubric_id: string;
  step: number;
  verifiable_pairs: number;
  decisive_pairs: number;
  agreed: number;
}

export interface CriticComparisonCountRow {
  rl_run_id: string;
  critic_version_id: string;
  step: number;
  comparisons: number;
}

export interface SynthesisFunnelRow {
  synthesis_run_id: string;
  trajectories: number;
  passed_trajectories: number;
  tasks: number;
  passed_tasks: number;
  tools_called: number;
  tools_registered: number;
}

export interface JoinedMetricsExpectation {
  groupRewardStats: GroupRewardStatsRow[];
  groupStepStats: GroupStepStatsRow[];
  criticAgreement: CriticAgreementRow[];
  criticComparisonCounts: CriticComparisonCountRow[];
  synthesisFunnels: SynthesisFunnelRow[];
}

type Data<Type extends AnyWireEvent['type']> = EventData<Type>;

/** First event of each entity id, in journal order (later reuses of the id change nothing). */
function firstOf<Type extends AnyWireEvent['type']>(
  journal: readonly JournaledWireEvent[],
  type: Type,
  idOf: (data: Data<Type>) => string,
): Array<{ data: Data<Type>; position: number }> {
  const seen = new Set<string>();
  const rows: Array<{ data: Data<Type>; position: number }> = [];
  for (const { event, position } of journal) {
    if (event.type !== type) continue;
    const data = event.data as Data<Type>;
    if (seen.has(idOf(data))) continue;
    seen.add(idOf(data));
    rows.push({ data, position });
  }
  return rows;
}

/** Code point order of composite keys (ids here are ASCII). */
const byKey =
  <Row>(...columns: Array<keyof Row>) =>
  (a: Row, b: Row): number => {
    for (const column of columns) {
      const [x, y] = [a[column], b[column]];
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };

export function expectedJoinedMetrics(
  journal: readonly JournaledWireEvent[],
): JoinedMetricsExpectation {
  const ordered = [...journal].sort((a, b) => a.position - b.position);
  const rollouts = new Map(
    firstOf(ordered, 'rollout.completed', (d) => d.rolloutId).map(({ data }) => [
      data.rolloutId,
      data,
    ]),
  );
  const rewards = firstOf(ordered, 'reward.assigned', (d) => d.rewardId).map(({ data }) => data);

  // Groups: every reward whose rollout is known and has a group.
  const groups = new Map<string, GroupRewardStatsRow>();
  for (const reward of rewards) {
    const rollout = rollouts.get(reward.rolloutId);
    if (!rollout?.groupId) continue;
    const key = [rollout.rlRunId, rollout.groupId, reward.kind, reward.domain].join('\u0000');
    const pass = reward.kind === 'verifiable' && reward.value === 1 ? 1 : 0;
    const row = groups.get(key);
    if (!row) {
      groups.set(key, {
        rl_run_id: rollout.rlRunId,
        group_id: rollout.groupId,
        kind: reward.kind,
        domain: reward.domain,
        step: rollout.step,
        rewards: 1,
        min: reward.value,
        max: reward.value,
        pass_count: pass,
      });
    } else {
      row.step = Math.min(row.step, rollout.step);
      row.rewards++;
      row.min = Math.min(row.min, reward.value);
      row.max = Math.max(row.max, reward.value);
      row.pass_count += pass;
    }
  }
  const steps = new Map<string, GroupStepStatsRow>();
  for (const group of groups.values()) {
    const key = [group.rl_run_id, group.kind, group.domain, group.step].join('\u0000');
    const row = steps.get(key) ?? {
      rl_run_id: group.rl_run_id,
      kind: group.kind,
      domain: group.domain,
      step: group.step,
      groups: 0,
      rewards: 0,
      multi_reward_groups: 0,
      zero_variance_groups: 0,
      pass_groups: 0,
    };
    row.groups++;
    row.rewards += group.rewards;
    if (group.rewards >= 2) row.multi_reward_groups++;
    if (group.rewards >= 2 && group.min === group.max) row.zero_variance_groups++;
    if (group.pass_count > 0) row.pass_groups++;
    steps.set(key, row);
  }

  // Critic agreement: each rollout's counted reward is its first journaled verifiable one.
  const counted = new Map<string, Data<'reward.assigned'>>();
  for (const reward of rewards) {
    if (reward.kind === 'verifiable' && !counted.has(reward.rolloutId))
      counted.set(reward.rolloutId, reward);
  }
  const comparisons = firstOf(ordered, 'critic.compared', (d) => d.comparisonId).map(
    ({ data }) => data,
  );
  const agreement = new Map<string, CriticAgreementRow>();
  const comparisonCounts = new Map<string, CriticComparisonCountRow>();
  for (const comparison of comparisons) {
    const countKey = [comparison.rlRunId, comparison.criticVersionId, comparison.step].join('\0');
    const count = comparisonCounts.get(countKey) ?? {
      rl_run_id: comparison.rlRunId,
      critic_version_id: comparison.criticVersionId,
      step: comparison.step,
      comparisons: 0,
    };
    count.comparisons++;
    comparisonCounts.set(countKey, count);

    const [a, b] = comparison.rolloutIds.map((id) => counted.get(id));
    if (!a || !b) continue;
    const decisive = a.value !== b.value;
    const higher = a.value > b.value ? comparison.rolloutIds[0] : comparison.rolloutIds[1];
    const agreed = decisive && comparison.preferredRolloutId === higher;
    for (const rubricId of new Set(['', ...(comparison.rubricIds ?? [])])) {
      const key = [
        comparison.rlRunId,
        comparison.criticVersionId,
        a.domain,
        rubricId,
        comparison.step,
      ].join('\0');
      const row = agreement.get(key) ?? {
        rl_run_id: comparison.rlRunId,
        critic_version_id: comparison.criticVersionId,
        domain: a.domain,
        rubric_id: rubricId,
        step: comparison.step,
        verifiable_pairs: 0,
        decisive_pairs: 0,
        agreed: 0,
      };
      row.verifiable_pairs++;
      if (decisive) row.decisive_pairs++;
      if (agreed) row.agreed++;
      agreement.set(key, row);
    }
  }

  // Funnels: first recordings of trajectories; tools registered whenever they were.
  const registered = new Set(
    firstOf(ordered, 'tool.registered', (d) => d.toolId).map(({ data }) => data.toolId),
  );
  const trajectories = firstOf(ordered, 'trajectory.recorded', (d) => d.trajectoryId).map(
    ({ data }) => data,
  );
  const funnels = new Map<
    string,
    { rows: typeof trajectories; tasks: Map<string, boolean>; tools: Set<string> }
  >();
  for (const trajectory of trajectories) {
    const funnel = funnels.get(trajectory.synthesisRunId) ?? {
      rows: [],
      tasks: new Map<string, boolean>(),
      tools: new Set<string>(),
    };
    funnel.rows.push(trajectory);
    const passed = trajectory.judgement.passed;
    funnel.tasks.set(trajectory.taskId, (funnel.tasks.get(trajectory.taskId) ?? false) || passed);
    for (const turn of trajectory.turns)
      for (const call of turn.toolCalls ?? []) funnel.tools.add(call.toolId);
    funnels.set(trajectory.synthesisRunId, funnel);
  }

  return {
    groupRewardStats: [...groups.values()].sort(
      byKey<GroupRewardStatsRow>('rl_run_id', 'group_id', 'kind', 'domain'),
    ),
    groupStepStats: [...steps.values()].sort(
      byKey<GroupStepStatsRow>('rl_run_id', 'kind', 'domain', 'step'),
    ),
    criticAgreement: [...agreement.values()].sort(
      byKey<CriticAgreementRow>('rl_run_id', 'critic_version_id', 'domain', 'rubric_id', 'step'),
    ),
    criticComparisonCounts: [...comparisonCounts.values()].sort(
      byKey<CriticComparisonCountRow>('rl_run_id', 'critic_version_id', 'step'),
    ),
    synthesisFunnels: [...funnels.entries()]
      .map(([synthesisRunId, funnel]) => ({
        synthesis_run_id: synthesisRunId,
        trajectories: funnel.rows.length,
        passed_trajectories: funnel.rows.filter((row) => row.judgement.passed).length,
        tasks: funnel.tasks.size,
        passed_tasks: [...funnel.tasks.values()].filter(Boolean).length,
        tools_called: funnel.tools.size,
        tools_registered: [...funnel.tools].filter((toolId) => registered.has(toolId)).length,
      }))
      .sort(byKey<SynthesisFunnelRow>('synthesis_run_id')),
  };
}
