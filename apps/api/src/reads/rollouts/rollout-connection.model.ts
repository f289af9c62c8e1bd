import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection';
import { Rollout } from './rollout.model';

@ObjectType()
export class RolloutConnection extends Connection(Rollout) {}
