import { ProgressBar } from './progress-bar';
import { DEMO_SIZES, k2Pipeline, pipelineSize, type PipelineOptions } from '@tracker/simulation';

export interface DemoOptions {
  /** Base URL of a running tracker's API. */
  url: string;
  /** An API key with the ingest scope, when the tracker requires keys. */
  apiKey?: string;
  size: keyof typeof DEMO_SIZES;
  runTag: string;
  seed: number;
  batchSize: number;
}

/** Streams the simulated pipeline into a running tracker through its HTTP ingest door. */
export async function runDemo(options: DemoOptions): Promise<{ sent: number; runTag: string }> {
  const pipeline: PipelineOptions = {
    ...DEMO_SIZES[options.size],
    runTag: options.runTag,
    seed: options.seed,
  };
  const total = pipelineSize(pipeline);
  const progress = new ProgressBar(`demo ${options.runTag}`, total);
  let batch: unknown[] = [];
  let sent = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const response = await fetch(`${options.url}/v1/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify(batch),
    });
    const body = (await response.json().catch(() => ({}))) as {
      accepted?: number;
      rejected?: unknown[];
      message?: unknown;
    };
    if (!response.ok)
      throw new Error(
        `ingest answered ${response.status}: ${JSON.stringify(body.message ?? body)}`,
      );
    if (body.rejected?.length)
      throw new Error(`ingest rejected demo events: ${JSON.stringify(body.rejected.slice(0, 3))}`);
    sent += batch.length;
    batch = [];
    progress.update(sent);
  };
  for (const event of k2Pipeline(pipeline)) {
    batch.push(event);
    if (batch.length >= options.batchSize) await flush();
  }
  await flush();
  progress.finish();
  return { sent, runTag: options.runTag };
}
