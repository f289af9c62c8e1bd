import { RewardsResolver } from './rewards/rewards.resolver';
import { RlRunsResolver } from './rl-runs/rl-runs.resolver';
import { RolloutsResolver } from './rollouts/rollouts.resolver';

/** Every read resolver of the API. */
export const READ_RESOLVERS = [RewardsResolver, RolloutsResolver, RlRunsResolver];
