/**
 * The projector's database side alone: the bench/ingest event mix applied with projectBatch in
 * batches of --batch events (no Kafka). Shows what one transaction per batch costs.
 *
 *   node dist/bench/ingest/projection-only.bench.js --events 50000 --batch 2000
 */
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { inTransaction, runMigrations } from '@tracker/read-model';
import { ADMIN_URL } from '@tracker/testing';
import { projectBatch } from '../../apps/projector/src/project-batch';
import { eventMix } from './event-mix';
import { numberArgument } from '../arguments';

async function main(): Promise<void> {
  const events = numberArgument('events', 50_000);
  const batchSize = numberArgument('batch', 2000);
  const name = `tracker_projection_${randomUUID().slice(0, 8)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  const pool = new Pool({ connectionString: url.toString(), max: 2 });
  pool.on('error', () => undefined); // the DROP at the end terminates idle connections
  try {
    const values = [...eventMix(events, 64, name)].map((event) =>
      Buffer.from(JSON.stringify(event)),
    );
    const started = Date.now();
    for (let start = 0; start < values.length; start += batchSize) {
      const chunk = values.slice(start, start + batchSize);
      await inTransaction(pool, (client) =>
        projectBatch(
          client,
          'bench',
          {
            topic: 'bench',
            partition: 0,
            highWatermark: String(start + chunk.length),
            messages: chunk.map((value, index) => ({
              offset: String(start + index),
              key: null,
              value,
              timestamp: String(Date.now()),
            })),
          },
          { copy: true },
        ),
      );
    }
    const ms = Date.now() - started;
    process.stdout.write(
      `projection only: ${events} events in batches of ${batchSize}: ${Math.round((events / ms) * 1000)} events/s (${ms} ms)\n`,
    );
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
