import type { Admin } from 'kafkajs';
import type { PartitionEnds } from '../event-log.port';
import { createKafka, type KafkaClientOptions } from './kafka-client';

/** Reads a topic's partition ends (ListOffsets) through one long-lived admin connection. */
export class KafkaEndOffsets {
  private admin: Promise<Admin> | undefined;

  constructor(private readonly options: KafkaClientOptions & { topic: string }) {}

  async read(): Promise<PartitionEnds[]> {
    this.admin ??= this.connect();
    try {
      const admin = await this.admin;
      const offsets = await admin.fetchTopicOffsets(this.options.topic);
      return offsets.map((offset) => ({
        topic: this.options.topic,
        partition: offset.partition,
        lowWatermark: offset.low,
        highWatermark: offset.high,
      }));
    } catch (error) {
      this.admin = undefined; // reconnect next time
      throw error;
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await (await admin?.catch(() => undefined))?.disconnect();
  }

  private async connect(): Promise<Admin> {
    const admin = createKafka({
      retry: { retries: 1, initialRetryTime: 200 },
      ...this.options,
    }).admin();
    await admin.connect();
    return admin;
  }
}
