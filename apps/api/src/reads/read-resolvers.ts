import { AgentsResolver } from './agents/agents.resolver';
import { AuditTrailResolver } from './audit/audit-trail.resolver';
import { DatasetAuditFindingsResolver, DatasetAuditResolver } from './audit/dataset-audit.resolver';
import { CheckpointsResolver } from './checkpoints/checkpoints.resolver';
import { CriticComparisonsResolver } from './critic-comparisons/critic-comparisons.resolver';
import { CriticVersionsResolver } from './critic-versions/critic-versions.resolver';
import { DatasetDiffResolver } from './datasets/dataset-diff.resolver';
import { DatasetMembersResolver, DatasetVersionsResolver } from './datasets/datasets.resolver';
import { DeadLettersResolver } from './dead-letters/dead-letters.resolver';
import { EvaluationsResolver } from './evaluations/evaluations.resolver';
import {
  DatasetImpactResolver,
  DatasetRunImpactResolver,
  ImpactResolver,
  RunImpactResolver,
  ToolImpactResolver,
} from './impact/impact.resolver';
import { JournalResolver } from './journal/journal.resolver';
import { LineageResolver } from './lineage/lineage.resolver';
import { CriticAgreementResolver } from './metrics/critic-agreement.resolver';
import { GroupSeriesResolver } from './metrics/group-series.resolver';
import { SeriesResolver } from './metrics/series.resolver';
import { SynthesisFunnelResolver } from './metrics/synthesis-funnel.resolver';
import { ProjectorStatusResolver } from './projector-status/projector-status.resolver';
import { RewardsResolver } from './rewards/rewards.resolver';
import { RlRunsResolver } from './rl-runs/rl-runs.resolver';
import { RolloutsResolver } from './rollouts/rollouts.resolver';
import { SynthesisRunsResolver } from './synthesis-runs/synthesis-runs.resolver';
import { TasksResolver } from './tasks/tasks.resolver';
import { ToolsResolver } from './tools/tools.resolver';
import { ToolCallsResolver, TrajectoriesResolver } from './trajectories/trajectories.resolver';

/** Every read resolver of the API. */
export const READ_RESOLVERS = [
  ToolsResolver,
  AgentsResolver,
  TasksResolver,
  SynthesisRunsResolver,
  TrajectoriesResolver,
  ToolCallsResolver,
  DatasetVersionsResolver,
  DatasetMembersResolver,
  DatasetAuditResolver,
  DatasetAuditFindingsResolver,
  DatasetDiffResolver,
  AuditTrailResolver,
  RlRunsResolver,
  CheckpointsResolver,
  RolloutsResolver,
  RewardsResolver,
  CriticComparisonsResolver,
  CriticVersionsResolver,
  EvaluationsResolver,
  JournalResolver,
  DeadLettersResolver,
  ProjectorStatusResolver,
  ImpactResolver,
  RunImpactResolver,
  ToolImpactResolver,
  DatasetImpactResolver,
  DatasetRunImpactResolver,
  LineageResolver,
  SeriesResolver,
  GroupSeriesResolver,
  CriticAgreementResolver,
  SynthesisFunnelResolver,
];
