import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A benchmark result of a checkpoint (evaluation.recorded).' })
export class Evaluation {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  checkpointId!: string;

  @Field({ description: 'e.g. AIME25, tau2-bench' })
  benchmark!: string;

  @Field({ description: 'e.g. pass@1, avg@4' })
  metric!: string;

  @Field(() => Float)
  value!: number;

  @Field(() => Int, { nullable: true })
  samples!: number | null;

  @Field()
  recordedAt!: Date;

  @Field(() => String)
  position!: string;
}

export interface EvaluationRow {
  evaluation_id: string;
  checkpoint_id: string;
  benchmark: string;
  metric: string;
  value: number;
  samples: number | null;
  recorded_at: Date;
  position: string;
}

export function toEvaluation(row: EvaluationRow): Evaluation {
  return {
    id: row.evaluation_id,
    checkpointId: row.checkpoint_id,
    benchmark: row.benchmark,
    metric: row.metric,
    value: row.value,
    samples: row.samples,
    recordedAt: row.recorded_at,
    position: row.position,
  };
}
