import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { MAX_POINTS, type SeriesArguments } from './series-arguments';

/** The runs and step range every series query takes (checked by seriesRequest). */
@ArgsType()
export class SeriesRangeArgs implements SeriesArguments {
  @Field(() => ID, { nullable: true, description: 'One run; give this or `runs`.' })
  rlRunId?: string | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Up to 20 runs, answered in this order; give this or `rlRunId`.',
  })
  runs?: string[] | null;

  @Field(() => Int, { nullable: true })
  fromStep?: number | null;

  @Field(() => Int, { nullable: true })
  toStep?: number | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: MAX_POINTS.default,
    description: `At most this many buckets (1..${MAX_POINTS.max}): each ceil((toStep - fromStep + 1) / maxPoints) steps wide, aligned at fromStep.`,
  })
  maxPoints?: number | null;
}
