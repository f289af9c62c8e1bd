import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection';
import { RlRun } from './rl-run.model';

@ObjectType()
export class RlRunConnection extends Connection(RlRun) {}
