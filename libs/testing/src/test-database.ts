import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
// A relative path: jest's globalSetup, which calls this, does not apply moduleNameMapper.
import { runMigrations } from '../../read-model/src/database/migration-data-source';

/** The machine's Postgres (trust auth); TEST_POSTGRES_URL overrides it. */
export const ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// One template per test run (named in the environment, which jest workers inherit), so that
// concurrent runs on one machine do not drop each other's template.
const templateName = () => process.env.TRACKER_TEST_TEMPLATE ?? 'tracker_test_template';

function urlFor(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `work` on a connection to the admin database (CREATE/DROP DATABASE). */
export async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Once per test run: a template database with every migration applied. */
export async function prepareTemplateDatabase(): Promise<void> {
  process.env.TRACKER_TEST_TEMPLATE = `tracker_test_template_${process.pid}`;
  await admin(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${templateName()} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${templateName()}`);
  });
  await runMigrations(urlFor(templateName()));
}

export async function dropTemplateDatabase(): Promise<void> {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${templateName()} WITH (FORCE)`));
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  readonly pool: Pool;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one suite, copied from the template (fast). */
export async function createTestDatabase(prefix = 'tracker_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`.toLowerCase();
  await admin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${templateName()}`));
  const url = urlFor(name);
  const pool = new Pool({ connectionString: url, max: 5 });
  pool.on('error', () => undefined);
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
