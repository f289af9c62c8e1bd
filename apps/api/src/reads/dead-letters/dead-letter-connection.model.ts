import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection';
import { DeadLetter } from './dead-letter.model';

@ObjectType()
export class DeadLetterConnection extends Connection(DeadLetter) {}
