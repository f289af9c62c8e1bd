import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { StepBucket } from './step-series.model';

// Pairs are critic.compared events. A pair is verifiable when both rollouts have a counted
// verifiable reward (each rollout's first journaled one); decisive when those two differ.

// Fields shared by the types below; not a GraphQL type of its own.
@ObjectType({ isAbstract: true })
export class AgreementCounts {
  @Field(() => Int, {
    description:
      'Compared pairs whose two rollouts both have a verifiable reward (the first journaled of each).',
  })
  verifiablePairs!: number;

  @Field(() => Int, { description: 'Verifiable pairs whose two rewards differ.' })
  decisivePairs!: number;

  @Field(() => Int, {
    description: 'Decisive pairs where the critic preferred the rollout with the higher reward.',
  })
  agreed!: number;

  @Field(() => Float, { nullable: true, description: 'agreed / decisivePairs; null without any.' })
  accuracy!: number | null;
}

@ObjectType({ description: 'Agreement on the pairs that named one rubric.' })
export class CriticRubricAgreement extends AgreementCounts {
  @Field(() => ID)
  rubricId!: string;
}

@ObjectType({ description: 'Agreement over a bucket of steps (the steps of the comparisons).' })
export class CriticAgreementPoint extends StepBucket {
  @Field(() => Int)
  verifiablePairs!: number;

  @Field(() => Int)
  decisivePairs!: number;

  @Field(() => Int)
  agreed!: number;

  @Field(() => Float, { nullable: true, description: 'agreed / decisivePairs; null without any.' })
  accuracy!: number | null;
}

@ObjectType({
  description:
    "Agreement of one critic version in one domain: the domain of the first rollout's verifiable reward.",
})
export class CriticDomainAgreement extends AgreementCounts {
  @Field()
  domain!: string;

  @Field(() => Float, {
    description:
      'Steps per series bucket, ceil((last - first + 1) / maxPoints) over the steps of the run with verifiable pairs, whatever the filters (a Float: it can reach 2^31).',
  })
  bucketWidth!: number;

  @Field(() => [CriticRubricAgreement], { description: 'Per rubric id the pairs named, by id.' })
  rubrics!: CriticRubricAgreement[];

  @Field(() => [CriticAgreementPoint], {
    description: 'Per bucket of steps, buckets with pairs only, by step.',
  })
  series!: CriticAgreementPoint[];
}

@ObjectType({ description: 'How far one critic version agrees with verifiable rewards in a run.' })
export class CriticVersionAgreement extends AgreementCounts {
  @Field(() => ID)
  criticVersionId!: string;

  @Field(() => Int, {
    description:
      'Every pair it compared in the run and step window, whatever rewards its rollouts have (not restricted by domain).',
  })
  comparedPairs!: number;

  @Field(() => [CriticDomainAgreement], { description: 'Per domain, by domain.' })
  domains!: CriticDomainAgreement[];
}
