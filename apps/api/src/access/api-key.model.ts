import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { ApiKeyRecord } from './api-keys.store';

@ObjectType({ description: 'An API key (its secret is shown once, when created).' })
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => [String], { description: 'ingest | read | admin' })
  scopes!: string[];

  @Field(() => [String], { nullable: true, description: 'Null: every project.' })
  projects!: string[] | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey)
  key!: ApiKey;

  @Field({ description: 'The key to send as "Authorization: Bearer <token>"; not shown again.' })
  token!: string;
}

export const toApiKey = (record: ApiKeyRecord): ApiKey => ({
  id: record.keyId,
  name: record.name,
  scopes: record.scopes,
  projects: record.projects,
  createdAt: record.createdAt,
  revokedAt: record.revokedAt,
});
