import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection';
import { Evaluation } from './evaluation.model';

@ObjectType()
export class EvaluationConnection extends Connection(Evaluation) {}
