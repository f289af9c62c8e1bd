import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection';
import { CriticComparison } from './critic-comparison.model';

@ObjectType()
export class CriticComparisonConnection extends Connection(CriticComparison) {}
