import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { RlRun, DatasetVersionRef, VerifierUsage } from '../rl-runs/rl-run.model';
import { Verifier } from '../rewards/reward.model';
import { Checkpoint } from './checkpoint.model';

@ObjectType({
  description:
    'What one RL run contributed to a checkpoint: its configuration, datasets, and the judges of its rewards up to the step it contributed through.',
})
export class RunContribution {
  @Field(() => ID)
  rlRunId!: string;

  @Field(() => Int, {
    description: 'The last step of this run that led to the checkpoint (rewards up to it count).',
  })
  upToStep!: number;

  @Field(() => RlRun, {
    nullable: true,
    description: 'Config, datasets, base checkpoint; null before rl.started.',
  })
  run!: RlRun | null;

  @Field(() => [VerifierUsage], { description: 'Verifier versions of its rewards up to upToStep.' })
  verifiers!: VerifierUsage[];

  @Field(() => [ID], {
    description:
      'Critic versions: the one it started with and those that gave its rewards up to upToStep.',
  })
  criticVersionIds!: string[];
}

@ObjectType({
  description:
    'Everything needed to reproduce a checkpoint: through parent checkpoints and the base checkpoints of runs, every run with its config, dataset version, verifier version and critic version that led to it.',
})
export class CheckpointProvenance {
  @Field(() => [Checkpoint], {
    description: 'The checkpoint and its recorded ancestors, nearest first.',
  })
  checkpoints!: Checkpoint[];

  @Field(() => [ID], {
    description:
      'Ancestors named by parents or base checkpoints but never saved through the tracker.',
  })
  unrecordedCheckpointIds!: string[];

  @Field(() => [RunContribution], { description: 'Nearest run first.' })
  runs!: RunContribution[];

  @Field(() => [DatasetVersionRef], {
    description: 'Every dataset version trained on, over all runs.',
  })
  datasetVersions!: DatasetVersionRef[];

  @Field(() => [Verifier], { description: 'Every verifier version whose rewards led to it.' })
  verifiers!: Verifier[];

  @Field(() => [ID], { description: 'Every critic version involved, over all runs.' })
  criticVersionIds!: string[];
}
