import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection';
import { Checkpoint } from './checkpoint.model';

@ObjectType()
export class CheckpointConnection extends Connection(Checkpoint) {}
