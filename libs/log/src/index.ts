export type {
  LogRecord,
  EventLogProducer,
  EventLogConsumer,
  ConsumedBatch,
  ConsumedMessage,
  BatchHandler,
} from './event-log.port';
export { LogUnavailableError } from './event-log.port';
