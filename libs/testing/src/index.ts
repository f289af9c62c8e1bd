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
export { startKafkaMock } from './kafka-mock';
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
