import { registerEnumType } from '@nestjs/graphql';

/** The kinds of reward.assigned; the values are the contract's strings. */
export enum RewardKind {
  VERIFIABLE = 'verifiable',
  SELF_CRITIC = 'self_critic',
  HUMAN = 'human',
}

registerEnumType(RewardKind, {
  name: 'RewardKind',
  description: 'verifiable (0/1 from a verifier), self_critic or human.',
});
