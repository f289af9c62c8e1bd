import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection';
import { Trajectory } from './trajectory.model';

@ObjectType()
export class TrajectoryConnection extends Connection(Trajectory) {}
