import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { DATABASE } from '@tracker/platform';
import type { Database } from '@tracker/read-model';
import { DatasetMembersExportController } from './export/dataset-members-export.controller';
import { formatApiError } from './graphql/api-error';
import { Loaders, type GraphQLContext } from './graphql/loaders';
import { HealthController } from './health/health.controller';
import { EventsController } from './ingest/events.controller';
import { IngestService } from './ingest/ingest.service';
import { RecordEventsResolver } from './ingest/record-events.resolver';
import { READ_RESOLVERS } from './reads/read-resolvers';

/** GraphQL reads and the ingest doors; needs PlatformModule imported by the root. */
@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [DATABASE],
      useFactory: (database: Database) => ({
        autoSchemaFile: true,
        sortSchema: true,
        introspection: true,
        formatError: formatApiError,
        context: (): GraphQLContext => ({ loaders: new Loaders(database.pool) }),
      }),
    }),
  ],
  controllers: [EventsController, HealthController, DatasetMembersExportController],
  providers: [IngestService, RecordEventsResolver, ...READ_RESOLVERS],
})
export class ApiModule {}
