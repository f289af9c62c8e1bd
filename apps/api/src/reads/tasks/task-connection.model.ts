import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection';
import { Task } from './task.model';

@ObjectType()
export class TaskConnection extends Connection(Task) {}
