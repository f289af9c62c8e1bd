import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection';

@ObjectType({ description: 'A member in one version of a diff and not in the other.' })
export class DatasetDiffMember {
  @Field(() => ID)
  memberId!: string;

  @Field({ description: 'trajectory | task' })
  memberKind!: string;
}

@ObjectType()
export class DatasetDiffMemberConnection extends Connection(DatasetDiffMember) {}

@ObjectType({ description: 'How the members of two versions of a dataset differ (by member id).' })
export class DatasetDiff {
  @Field(() => ID)
  datasetId!: string;

  @Field(() => Int)
  fromVersion!: number;

  @Field(() => Int)
  toVersion!: number;

  @Field(() => Int, { description: 'Members of toVersion that fromVersion does not have.' })
  addedCount!: number;

  @Field(() => Int, { description: 'Members of fromVersion that toVersion does not have.' })
  removedCount!: number;
}
