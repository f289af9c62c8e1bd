import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection';
import { CriticVersion } from './critic-version.model';

@ObjectType()
export class CriticVersionConnection extends Connection(CriticVersion) {}
