export type {
  LogRecord,
  EventLogProducer,
  EventLogConsumer,
  ConsumedBatch,
  ConsumedMessage,
  BatchHandler,
  PartitionEnds,
} from './event-log.port';
export { LogRefusedError, LogUnavailableError } from './event-log.port';
export { KafkaEventLogProducer } from './kafka/kafka-producer.adapter';
export type { KafkaEventLogProducerOptions } from './kafka/kafka-producer.adapter';
export { KafkaEventLogConsumer } from './kafka/kafka-consumer.adapter';
export type { KafkaEventLogConsumerOptions } from './kafka/kafka-consumer.adapter';
export { ensureTopic } from './kafka/kafka-topic';
export type { EnsureTopicResult } from './kafka/kafka-topic';
export type { KafkaClientOptions, KafkaLogLevel, KafkaRetryOptions } from './kafka/kafka-client';
export { createEventLog } from './create-event-log';
export type { EventLog, EventLogSettings, ConsumerListeners } from './create-event-log';
export { EmbeddedEventLogProducer } from './embedded/embedded-log.producer';
export { EmbeddedEventLogConsumer, EMBEDDED_TOPIC } from './embedded/embedded-log.consumer';
