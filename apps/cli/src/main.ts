#!/usr/bin/env node
import 'reflect-metadata';
import { loadConfig, ConfigError, type TrackerConfig } from '@tracker/config';
import { openDatabase, runMigrations } from '@tracker/read-model';
import { replayJournal } from '../../projector/src';
import { auditDatasetCommand } from './audit/audit-dataset.command';
import { keysCommand } from './keys/keys.command';
import { runDemo } from './demo/demo.command';
import { DEMO_SIZES } from '@tracker/simulation';
import { ProgressBar } from './demo/progress-bar';
import { startTracker, type TrackerRoles } from './tracker-app';

const USAGE = `usage: tracker <command> [options]

commands:
  start       API and projector in one process (embedded Postgres and log unless
              DATABASE_URL / KAFKA_BROKERS are set)
  api         GraphQL + HTTP ingest only
  projector   the log consumer only
  migrate     apply pending database migrations and exit
  replay      rebuild every projection from the event journal (stop projectors first)
  demo        stream a simulated K2-style pipeline into a running tracker
                --url http://127.0.0.1:4000   --size small|medium|large   --tag NAME   --seed N
                --key KEY (an ingest key, when the tracker requires keys)
  keys        API keys (stored hashed; the key is printed once, at creation)
                keys create --name NAME --scopes ingest,read,admin [--projects A,B]
                keys list
                keys revoke KEY_ID
              The first key ends open mode: from then on every request needs a key.
  audit       audit a dataset version (hashes, counts, findings) from the database
                dataset DATASET@VERSION   --as-of TIME   --json
              exit 0: verified, no findings; 1: anything found; 2: usage error or unknown version

environment: DATABASE_URL, TRACKER_DATA_DIR, KAFKA_BROKERS, KAFKA_TOPIC, KAFKA_GROUP_ID,
             HOST, PORT, PROJECTOR_BATCH_SIZE, PROJECTOR_MAX_WAIT_MS, LOG_LEVEL`;

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

async function serve(config: TrackerConfig, roles: TrackerRoles): Promise<void> {
  const tracker = await startTracker(config, roles);
  if (tracker.url) {
    const access = tracker.openAccess
      ? `open: no API key exists, so anyone on this machine may read and write (listening on ${config.host} only); create one to require keys: the createApiKey mutation, or \`tracker keys create\` while the tracker is stopped`
      : 'API keys required (Authorization: Bearer <key>)';
    const lines = [
      `tracker ready`,
      `  access   ${access}`,
      `  GraphQL  ${tracker.url}/graphql`,
      `  ingest   POST ${tracker.url}/v1/events  (JSON array or NDJSON)`,
      `  storage  ${config.databaseUrl ? 'Postgres at DATABASE_URL' : `embedded Postgres in ${config.dataDir}`}`,
      `  log      ${config.kafkaBrokers.length > 0 ? `Kafka ${config.kafkaBrokers.join(',')} topic ${config.kafkaTopic}` : 'embedded log'}`,
      `  demo     npm run demo -- --url ${tracker.url}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  const config = loadConfig();
  switch (command) {
    case 'start':
      return serve(config, { api: true, projector: true });
    case 'api':
      return serve(config, { api: true, projector: false });
    case 'projector':
      return serve(config, { api: false, projector: true });
    case 'migrate': {
      const database = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        migrate: false,
      });
      try {
        const applied = await runMigrations(database.url);
        process.stdout.write(
          applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n',
        );
      } finally {
        await database.close();
      }
      return;
    }
    case 'replay': {
      const database = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
      });
      try {
        let progress: ProgressBar | undefined;
        const result = await replayJournal(
          database.pool,
          { copy: !database.embedded },
          (done, total) => {
            progress ??= new ProgressBar('replay', total);
            progress.update(done);
          },
        );
        progress?.finish();
        process.stdout.write(
          `replayed ${result.events} events (last position ${result.lastPosition ?? 'none'})\n`,
        );
      } finally {
        await database.close();
      }
      return;
    }
    case 'demo': {
      const size = (option(args, 'size') ?? 'small') as keyof typeof DEMO_SIZES;
      if (!(size in DEMO_SIZES))
        throw new ConfigError([
          `--size ${size}: must be one of ${Object.keys(DEMO_SIZES).join(', ')}`,
        ]);
      const url = option(args, 'url') ?? `http://127.0.0.1:${config.port}`;
      const runTag =
        option(args, 'tag') ??
        `demo-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}`;
      const result = await runDemo({
        url,
        size,
        runTag,
        seed: Number(option(args, 'seed') ?? 42),
        batchSize: 1000,
        apiKey: option(args, 'key'),
      });
      process.stdout.write(
        `sent ${result.sent} events. Try, at ${url}/graphql:\n` +
          `  { rlRun(id: "${runTag}-rl") { status rewardSummary { domain kind count mean passRate }\n` +
          `      verifiers { name version firstStep lastStep rewardCount } } }\n` +
          `  { datasetVersion(datasetId: "${runTag}-sft-core", version: 1) { sealed contentHashMatches calledTools { id name } } }\n`,
      );
      return;
    }
    case 'keys':
      process.exitCode = await keysCommand(
        args,
        config,
        (text) => process.stdout.write(text),
        (text) => process.stderr.write(text),
      );
      return;
    case 'audit':
      process.exitCode = await auditDatasetCommand(
        args,
        config,
        (text) => process.stdout.write(text),
        (text) => process.stderr.write(text),
      );
      return;
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return;
    default:
      process.stderr.write(`unknown command ${JSON.stringify(command)}\n\n${USAGE}\n`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
