/**
 * Preloaded (`node --require`) into the API process the soak starts, so that its ingest
 * producer (idempotent: InitProducerId goes to the controller) can talk to the Kafka mock,
 * whose controller id 0 names no broker. Bench only; see libs/testing kafkajs-mock-shim.
 */
import { installKafkajsMockShim } from '@tracker/testing';

installKafkajsMockShim();
