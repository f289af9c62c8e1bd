export {
  anyEventOf,
  freshId,
  toolRegisteredEvent,
  agentDefinedEvent,
  taskDefinedEvent,
  synthesisStartedEvent,
  trajectoryRecordedEvent,
  synthesisCompletedEvent,
  datasetMembersAddedEvent,
  datasetSealedEvent,
  rlStartedEvent,
  checkpointSavedEvent,
  rolloutCompletedEvent,
  rewardAssignedEvent,
  criticComparedEvent,
  criticUpdatedEvent,
  rlFinishedEvent,
  evaluationRecordedEvent,
} from './event-builders';
export type { EnvelopeOverrides, WireEvent } from './event-builders';
export { expectEventually } from './expect-eventually';
export { joinedMetricsRun, seededRandom } from './joined-metrics-run';
export type { AnyWireEvent, JoinedMetricsRun, JoinedMetricsRunShape } from './joined-metrics-run';
export { expectedJoinedMetrics } from './joined-metrics-oracle';
export type { JoinedMetricsExpectation, JournaledWireEvent } from './joined-metrics-oracle';
export { metricSeriesRun } from './metric-series-run';
export type { MetricSeriesRun, SeriesWireEvent } from './metric-series-run';
export {
  appliedSeriesData,
  bitLength,
  estimatedP95,
  expectedRewardSeries,
  expectedRolloutSeries,
} from './metric-series-oracle';
export type {
  ExpectedRewardPoint,
  ExpectedRolloutPoint,
  ExpectedSeries,
  RewardData,
  RolloutData,
  SeriesQuery,
} from './metric-series-oracle';
export { KafkaApiKey, KafkaErrorCode, startKafkaMock } from './kafka-mock';
export type { KafkaMock, KafkaMockOptions } from './kafka-mock';
export { installKafkajsMockShim } from './kafkajs-mock-shim';
export {
  createTestDatabase,
  prepareTemplateDatabase,
  dropTemplateDatabase,
  admin,
  ADMIN_URL,
} from './test-database';
export type { TestDatabase } from './test-database';
export { graphql, graphqlRaw } from './graphql-client';
export { spawnProjectorProcess, BUILT_CLI } from './projector-process';
export type { ProjectorProcessOptions } from './projector-process';
export { freePort } from './free-port';
export { startTcpProxy } from './tcp-proxy';
export type { TcpProxy } from './tcp-proxy';
