import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { DATABASE } from '@tracker/platform';
import type { Database } from '@tracker/read-model';
import { ApiError } from '../graphql/api-error';
import { ApiKey, CreatedApiKey, toApiKey } from './api-key.model';
import { ApiKeyRequestError, createApiKey, listApiKeys, revokeApiKey } from './api-keys.store';
import { Authenticator } from './authenticator';

/** Key management (admin scope, every project: see access-policy.ts). */
@Resolver(() => ApiKey)
export class ApiKeysResolver {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly authenticator: Authenticator,
  ) {}

  @Query(() => [ApiKey], { description: 'Every key, revoked ones included, oldest first.' })
  async apiKeys(): Promise<ApiKey[]> {
    return (await listApiKeys(this.database.pool)).map(toApiKey);
  }

  @Mutation(() => CreatedApiKey, {
    description:
      'Creates a key. The first key ends open mode: from then on every request needs a key.',
  })
  async createApiKey(
    @Args('name') name: string,
    @Args('scopes', { type: () => [String], description: 'ingest | read | admin' })
    scopes: string[],
    @Args('projects', {
      type: () => [String],
      nullable: true,
      description: 'The projects it may read and write; omit for every project.',
    })
    projects?: string[] | null,
  ): Promise<CreatedApiKey> {
    try {
      const created = await createApiKey(this.database.pool, { name, scopes, projects });
      this.authenticator.invalidate();
      return { key: toApiKey(created.key), token: created.token };
    } catch (error) {
      if (error instanceof ApiKeyRequestError) throw new ApiError('BAD_USER_INPUT', error.message);
      throw error;
    }
  }

  @Mutation(() => ApiKey, {
    description: 'Revokes a key: refused from now on (every API process within 2 s).',
  })
  async revokeApiKey(@Args('id', { type: () => ID }) id: string): Promise<ApiKey> {
    const revoked = await revokeApiKey(this.database.pool, id);
    if (!revoked) throw new ApiError('NOT_FOUND', `no API key ${JSON.stringify(id)}`);
    this.authenticator.revoked(id);
    return toApiKey(revoked);
  }
}
