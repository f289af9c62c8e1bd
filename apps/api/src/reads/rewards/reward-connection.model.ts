import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection';
import { Reward } from './reward.model';

@ObjectType()
export class RewardConnection extends Connection(Reward) {}
