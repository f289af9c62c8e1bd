import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection';
import { SynthesisRun } from './synthesis-run.model';

@ObjectType()
export class SynthesisRunConnection extends Connection(SynthesisRun) {}
