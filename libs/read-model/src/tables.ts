/**
 * How each projection table is written in bulk. `first-wins`: a row with a known key is left
 * as it is (ids are unique per kind; a later event reusing one does not rewrite history).
 * `merge`: events that fill different columns of one row (started/finished) merge in any order.
 */
export interface TableSpec {
  readonly name: string;
  readonly key: readonly string[];
  readonly columns: readonly string[];
  readonly conflict: 'first-wins' | 'merge';
  /** Columns a merge never overwrites (e.g. the position of the first event). */
  readonly keepOnMerge?: readonly string[];
  /** Columns of type text[] (others holding arrays are json/jsonb); COPY writes them differently. */
  readonly textArrays?: readonly string[];
}

const table = (spec: TableSpec): TableSpec => spec;

export const TABLES = {
  tools: table({
    name: 'tools',
    key: ['tool_id'],
    textArrays: ['evolved_from'],
    conflict: 'first-wins',
    columns: [
      'tool_id',
      'name',
      'description',
      'source',
      'origin',
      'evolved_from',
      'domain',
      'input_schema',
      'registered_at',
      'position',
    ],
  }),
  agents: table({
    name: 'agents',
    key: ['agent_id'],
    textArrays: ['tool_ids'],
    conflict: 'first-wins',
    columns: [
      'agent_id',
      'system_prompt',
      'tool_ids',
      'synthesis_run_id',
      'defined_at',
      'position',
    ],
  }),
  tasks: table({
    name: 'tasks',
    key: ['task_id'],
    conflict: 'first-wins',
    columns: [
      'task_id',
      'agent_id',
      'prompt',
      'rubric',
      'domain',
      'difficulty',
      'defined_at',
      'position',
    ],
  }),
  synthesisRuns: table({
    name: 'synthesis_runs',
    key: ['synthesis_run_id'],
    conflict: 'merge',
    keepOnMerge: ['position'],
    columns: [
      'synthesis_run_id',
      'project',
      'name',
      'generator_model',
      'config',
      'started_at',
      'completed_status',
      'completed_at',
      'position',
    ],
  }),
  trajectories: table({
    name: 'trajectories',
    key: ['trajectory_id'],
    textArrays: ['called_tool_ids'],
    conflict: 'first-wins',
    columns: [
      'trajectory_id',
      'synthesis_run_id',
      'task_id',
      'agent_id',
      'turns',
      'turn_count',
      'called_tool_ids',
      'passed',
      'score',
      'criteria',
      'judge_model',
      'recorded_at',
      'position',
    ],
  }),
  rlRuns: table({
    name: 'rl_runs',
    key: ['rl_run_id'],
    conflict: 'merge',
    keepOnMerge: ['position'],
    columns: [
      'rl_run_id',
      'project',
      'name',
      'policy_model',
      'base_checkpoint_id',
      'datasets',
      'critic_version_id',
      'config',
      'started_at',
      'finished_status',
      'final_checkpoint_id',
      'finished_at',
      'position',
    ],
  }),
  checkpoints: table({
    name: 'checkpoints',
    key: ['checkpoint_id'],
    conflict: 'first-wins',
    columns: [
      'checkpoint_id',
      'rl_run_id',
      'step',
      'uri',
      'parent_checkpoint_id',
      'saved_at',
      'position',
    ],
  }),
  rollouts: table({
    name: 'rollouts',
    key: ['rollout_id'],
    conflict: 'first-wins',
    columns: [
      'rollout_id',
      'rl_run_id',
      'step',
      'task_id',
      'group_id',
      'policy_checkpoint_id',
      'gym_template',
      'gym_domain',
      'prompt_tokens',
      'response_tokens',
      'num_turns',
      'num_tool_calls',
      'finish_reason',
      'partial_of',
      'completed_at',
      'position',
    ],
  }),
  rewards: table({
    name: 'rewards',
    key: ['reward_id'],
    textArrays: ['rubric_ids'],
    conflict: 'first-wins',
    columns: [
      'reward_id',
      'rollout_id',
      'rl_run_id',
      'step',
      'kind',
      'domain',
      'value',
      'verifier_name',
      'verifier_version',
      'critic_version_id',
      'rubric_ids',
      'hack_flagged',
      'hack_reason',
      'assigned_at',
      'position',
    ],
  }),
  criticComparisons: table({
    name: 'critic_comparisons',
    key: ['comparison_id'],
    textArrays: ['rollout_ids', 'rubric_ids'],
    conflict: 'first-wins',
    columns: [
      'comparison_id',
      'rl_run_id',
      'step',
      'critic_version_id',
      'rollout_ids',
      'preferred_rollout_id',
      'rubric_ids',
      'rationale',
      'compared_at',
      'position',
    ],
  }),
  criticVersions: table({
    name: 'critic_versions',
    key: ['critic_version_id'],
    conflict: 'first-wins',
    columns: [
      'critic_version_id',
      'parent_critic_version_id',
      'rl_run_id',
      'step',
      'rollout_count',
      'agreement',
      'updated_at',
      'position',
    ],
  }),
  evaluations: table({
    name: 'evaluations',
    key: ['evaluation_id'],
    conflict: 'first-wins',
    columns: [
      'evaluation_id',
      'checkpoint_id',
      'benchmark',
      'metric',
      'value',
      'samples',
      'recorded_at',
      'position',
    ],
  }),
  lineageEdges: table({
    name: 'lineage_edges',
    key: ['src', 'relation', 'dst'],
    conflict: 'first-wins',
    columns: ['src', 'relation', 'dst', 'position'],
  }),
} as const;

export type TableName = keyof typeof TABLES;

/** Tables a replay empties and rebuilds from the journal. */
export const PROJECTION_TABLES = [
  ...Object.values(TABLES).map((spec) => spec.name),
  'dataset_versions',
  'dataset_members',
  'dataset_findings',
  'dataset_member_issues',
  'dataset_version_runs',
  'reward_rollups',
  'rollout_links',
];
