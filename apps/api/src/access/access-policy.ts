import { NODE_KINDS } from '@tracker/read-model';
import type { EntityRef } from './project-visibility';
import type { Scope } from './scopes';

/*
 * Who may see what, in one place. apply-access-control.ts enforces it on the schema and
 * refuses to start if a root field or an object type is not listed here: a new query or type
 * cannot ship without saying how it is guarded.
 */

/** What a root field needs. */
export interface RootPolicy {
  readonly scope: Scope;
  /** It spans every project (cross-project aggregates, operations): keys for all projects only. */
  readonly everyProject?: true;
  /** Arguments holding typed node ids (`KIND:ID`) that must be visible. */
  readonly nodeArgs?: readonly string[];
}

const read: RootPolicy = { scope: 'read' };
const readEveryProject: RootPolicy = { scope: 'read', everyProject: true };

export const ROOT_POLICIES: Readonly<Record<string, RootPolicy>> = {
  'Mutation.recordEvents': { scope: 'ingest' }, // the events' projects are checked by ingest
  'Mutation.createApiKey': { scope: 'admin', everyProject: true },
  'Mutation.revokeApiKey': { scope: 'admin', everyProject: true },
  'Query.apiKeys': { scope: 'admin', everyProject: true },
  'Query.deadLetters': { scope: 'admin', everyProject: true },
  'Query.impact': readEveryProject,
  'Query.toolImpact': readEveryProject,
  'Query.datasetImpact': readEveryProject,
  'Query.projectorStatus': read,
  'Query.apiStatus': read,
  'Query.auditTrail': { scope: 'read', nodeArgs: ['id'] },
  'Query.lineage': { scope: 'read', nodeArgs: ['id'] },
  'Query.lineagePath': { scope: 'read', nodeArgs: ['from', 'to'] },
  'Query.node': { scope: 'read', nodeArgs: ['id'] },
  ...Object.fromEntries(
    [
      'agent',
      'agents',
      'checkpoint',
      'checkpoints',
      'criticAgreement',
      'criticComparison',
      'criticComparisons',
      'criticVersion',
      'criticVersions',
      'datasetAudit',
      'datasetDiff',
      'datasetVersion',
      'datasetVersions',
      'evaluation',
      'evaluations',
      'event',
      'events',
      'groupSeries',
      'reward',
      'rewardSeries',
      'rewards',
      'rlRun',
      'rlRuns',
      'rollout',
      'rolloutSeries',
      'rollouts',
      'synthesisFunnel',
      'synthesisRun',
      'synthesisRuns',
      'task',
      'tasks',
      'tool',
      'tools',
      'trajectories',
      'trajectory',
    ].map((name) => [`Query.${name}`, read]),
  ),
  ...Object.fromEntries(
    [
      'rewardAssigned',
      'rewardSeriesUpdated',
      'checkpointSaved',
      'criticUpdated',
      'runStatusChanged',
    ].map((name) => [`Subscription.${name}`, read]),
  ),
};

/** Arguments naming an entity, by name, on any root field. */
const ID_ARGS: Readonly<Record<string, string>> = {
  rlRunId: 'rl_run',
  runs: 'rl_run',
  synthesisRunId: 'synthesis_run',
  checkpointId: 'checkpoint',
  rolloutId: 'rollout',
  criticVersionId: 'critic_version',
  agentId: 'agent',
  taskId: 'task',
};

/** The entities a root field's arguments name (they must all be visible to run it). */
export function argumentRefs(args: Record<string, unknown>, policy: RootPolicy): EntityRef[] {
  const refs: EntityRef[] = [];
  for (const [name, kind] of Object.entries(ID_ARGS)) {
    const value = args[name];
    for (const id of Array.isArray(value) ? value : [value]) {
      if (typeof id === 'string') refs.push({ kind, id });
    }
  }
  if (typeof args.datasetId === 'string') {
    const versions = [args.version, args.fromVersion, args.toVersion].filter(
      (version): version is number => typeof version === 'number',
    );
    if (versions.length === 0) refs.push({ kind: 'dataset', id: args.datasetId });
    for (const version of versions) {
      refs.push({ kind: 'dataset_version', id: `${args.datasetId}@${version}` });
    }
  }
  for (const name of policy.nodeArgs ?? []) {
    const value = args[name];
    if (typeof value === 'string') refs.push(...nodeRefs(value));
  }
  return refs;
}

const KNOWN_KINDS = new Set<string>(NODE_KINDS);

/** A typed node id (`KIND:ID`) as a ref; none for a malformed one (the resolver says why). */
export function nodeRefs(nodeId: string): EntityRef[] {
  const colon = nodeId.indexOf(':');
  const kind = nodeId.slice(0, colon);
  return colon > 0 && KNOWN_KINDS.has(kind) ? [{ kind, id: nodeId.slice(colon + 1) }] : [];
}

const SUBJECT_KINDS: Readonly<Record<string, string>> = {
  rl: 'rl_run',
  synthesis: 'synthesis_run',
  dataset: 'dataset',
  checkpoint: 'checkpoint',
  tool: 'tool',
  agent: 'agent',
  task: 'task',
};

/** An event's subject (`rl:{rlRunId}`, ...) as a ref; null (hidden) when not one we know. */
function subjectRefs(subject: string): EntityRef[] | null {
  const colon = subject.indexOf(':');
  const kind = SUBJECT_KINDS[subject.slice(0, colon)];
  return colon > 0 && kind ? [{ kind, id: subject.slice(colon + 1) }] : null;
}

const one = (kind: string) => (value: { id: string }) => [{ kind, id: value.id }];
const ofRun = (value: { rlRunId: string }) => [{ kind: 'rl_run', id: value.rlRunId }];
const ofVersion = (value: { datasetId: string; version: number }) => [
  { kind: 'dataset_version', id: `${value.datasetId}@${value.version}` },
];
const edgeRefs = (edge: { src: string; dst: string }) => [
  ...nodeRefs(edge.src),
  ...nodeRefs(edge.dst),
];

/** Kinds whose nodes belong to no project (shared catalog): tools and verifiers. */
const CATALOG_KINDS = new Set(['tool', 'verifier']);

/**
 * Object types that are, or speak for, project-bound entities: the entities they stand for
 * (all must be visible), or null when a restricted caller may not see them at all. Types whose
 * only field `node` is such a type (connection edges) are covered by it.
 */
export const ENTITY_TYPES: Readonly<Record<string, (value: any) => EntityRef[] | null>> = {
  // What hangs off a run is checked as its run: one lookup for a page of them.
  Agent: (agent) =>
    agent.synthesisRunId ? [{ kind: 'synthesis_run', id: agent.synthesisRunId }] : [],
  Task: (task) => (task.agentId ? [{ kind: 'agent', id: task.agentId }] : []),
  Trajectory: (trajectory) => [{ kind: 'synthesis_run', id: trajectory.synthesisRunId }],
  SynthesisRun: one('synthesis_run'),
  RlRun: one('rl_run'),
  Checkpoint: ofRun,
  Rollout: ofRun,
  Reward: ofRun,
  CriticComparison: ofRun,
  CriticVersion: ofRun,
  Evaluation: (evaluation) => [{ kind: 'checkpoint', id: evaluation.checkpointId }],
  RunStatusChange: ofRun,
  RunContribution: ofRun,
  DatasetVersion: ofVersion,
  DatasetVersionRef: ofVersion,
  DatasetMember: ofVersion,
  DatasetAudit: ofVersion,
  DatasetDiff: (diff) => [{ kind: 'dataset', id: diff.datasetId }],
  JournalEvent: (event) => subjectRefs(event.subject),
  LastProjectedEvent: (event) => subjectRefs(event.subject),
  // Ancestors and contributing runs may be another project's: all or nothing.
  CheckpointProvenance: (provenance) => [
    ...provenance.checkpoints.map((checkpoint: { id: string }) => ({
      kind: 'checkpoint',
      id: checkpoint.id,
    })),
    ...provenance.runs.flatMap(ofRun),
    ...provenance.datasetVersions.flatMap(ofVersion),
  ],
  LineageNode: (node) => nodeRefs(node.id),
  LineageEdge: edgeRefs,
  // A path with a hidden node is no path for this caller (rather than a broken one).
  LineagePath: (path) => path.edges.flatMap(edgeRefs),
  // Counts of nodes under a run, or of catalog nodes, can be shown; other counts span projects.
  LineageGroup: (group) =>
    group.rlRunId
      ? [...nodeRefs(group.node), { kind: 'rl_run', id: group.rlRunId }]
      : CATALOG_KINDS.has(group.kind)
        ? nodeRefs(group.node)
        : null,
  DeadLetter: () => null,
  ApiKey: () => null,
};

/**
 * Object types that need no check of their own: catalog entities, parts of a checked entity,
 * results of a root field whose arguments were checked (series, summaries, audits' findings) or
 * that spans every project (impact), pages, and operational status.
 */
export const UNCHECKED_TYPES = new Set([
  'Query',
  'Mutation',
  'Subscription',
  'PageInfo',
  'Tool',
  'Verifier',
  'VerifierUsage',
  'ToolCall',
  'Turn',
  'Judgement',
  'JudgedCriterion',
  'Rubric',
  'RubricCriterion',
  'CriticAgreement',
  'CriticAgreementPoint',
  'CriticDomainAgreement',
  'CriticRubricAgreement',
  'CriticVersionAgreement',
  'DatasetFinding',
  'DatasetAuditFinding',
  'DatasetDiffMember',
  'FinishReasonCounts',
  'GroupPoint',
  'GroupSeries',
  'ResponseTokens',
  'RewardPoint',
  'RewardSeries',
  'RewardSeriesUpdate',
  'RewardStepChange',
  'RewardSummary',
  'RolloutPoint',
  'RolloutSeries',
  'SynthesisFunnel',
  'LineageGraph',
  'Impact',
  'RunImpact',
  'ToolImpact',
  'ToolRunImpact',
  'DatasetImpact',
  'DatasetRunImpact',
  'ReachedSet',
  'ProjectorStatus',
  'PartitionStatus',
  'ApiStatus',
  'EventLoopDelay',
  'RecordEventsResult',
  'RejectedEvent',
  'CreatedApiKey',
]);
