import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule, type GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import type { TrackerConfig } from '@tracker/config';
import { DATABASE, TRACKER_CONFIG } from '@tracker/platform';
import type { Database } from '@tracker/read-model';
import { AccessModule } from './access/access.module';
import { applyAccessControl } from './access/apply-access-control';
import { Authenticator } from './access/authenticator';
import type { AuthenticatedRequest } from './access/http-authentication';
import { subscriptionAccess } from './access/subscription-access';
import { DatasetMembersExportController } from './export/dataset-members-export.controller';
import { API_RESOLVERS } from './api-resolvers';
import { formatApiError } from './graphql/api-error';
import { noStorePlugin } from './graphql/no-store.plugin';
import { operationLimits } from './graphql/limits/operation-limits';
import { operationLimitsPlugin } from './graphql/limits/operation-limits.plugin';
import { Loaders, type GraphQLContext } from './graphql/loaders';
import { HealthController } from './health/health.controller';
import { EventsController } from './ingest/events.controller';
import { WebController } from './web/web.controller';
import { IngestService } from './ingest/ingest.service';
import { LiveModule } from './live/live.module';
import { LiveService } from './live/live.service';

/** GraphQL reads and the ingest doors; needs PlatformModule imported by the root. */
@Module({
  imports: [
    LiveModule,
    AccessModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [LiveModule, AccessModule],
      inject: [DATABASE, LiveService, TRACKER_CONFIG, Authenticator],
      useFactory: (
        database: Database,
        live: LiveService,
        config: TrackerConfig,
        authenticator: Authenticator,
      ) => ({
        autoSchemaFile: true,
        sortSchema: true,
        introspection: config.graphqlIntrospection,
        formatError: formatApiError,
        plugins: [
          ApolloServerPluginCacheControlDisabled(),
          noStorePlugin,
          operationLimitsPlugin(operationLimits(config)),
        ],
        // Every resolver checks the caller against access-policy.ts.
        transformSchema: applyAccessControl,
        // HTTP: the caller httpAuthentication found (none: every operation is refused).
        context: ({ req }: { req: AuthenticatedRequest }): GraphQLContext => ({
          loaders: new Loaders(database.pool),
          caller: req.caller!,
        }),
        // Subscriptions over graphql-ws on the same path; identical ones share one execution.
        // Nest hands these options to graphql-ws's useServer, whose `subscribe` this is (Nest's
        // type lists only some of them).
        subscriptions: {
          'graphql-ws': {
            subscribe: live.shared.subscribe,
            ...subscriptionAccess(authenticator, config.subscriptionConnectionsPerKey),
            context: (ctx: { extra: { caller?: GraphQLContext['caller'] } }): GraphQLContext => ({
              loaders: new Loaders(database.pool),
              caller: ctx.extra.caller!,
            }),
          } as GraphQLWsSubscriptionsConfig,
        },
      }),
    }),
  ],
  controllers: [EventsController, HealthController, DatasetMembersExportController, WebController],
  providers: [IngestService, ...API_RESOLVERS],
})
export class ApiModule {}
