import { ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection';
import { DatasetMember, DatasetVersion } from './dataset-version.model';

@ObjectType()
export class DatasetVersionConnection extends Connection(DatasetVersion) {}

@ObjectType()
export class DatasetMemberConnection extends Connection(DatasetMember) {}
