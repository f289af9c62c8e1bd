import { createKafka, type KafkaClientOptions } from './kafka-client';

/** What {@link ensureTopic} achieved; a failure is reported, not thrown. */
export type EnsureTopicResult =
  | { readonly outcome: 'created' | 'exists' }
  | { readonly outcome: 'failed'; readonly reason: string };

/**
 * Creates the topic if it is missing. Tolerates failure: a cluster may not allow it (or, like
 * librdkafka's mock, not implement CreateTopics) and auto-create topics instead, so the
 * caller logs the reason and goes on.
 */
export async function ensureTopic(
  brokers: readonly string[],
  clientId: string,
  topic: string,
  partitions: number,
  options: Omit<KafkaClientOptions, 'brokers' | 'clientId'> = {},
): Promise<EnsureTopicResult> {
  const admin = createKafka({
    retry: { retries: 2, initialRetryTime: 200 },
    ...options,
    brokers,
    clientId,
  }).admin();
  try {
    await admin.connect();
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: partitions }],
      waitForLeaders: true,
    });
    return { outcome: created ? 'created' : 'exists' };
  } catch (error) {
    return { outcome: 'failed', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
