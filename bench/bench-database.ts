import { randomUUID } from 'node:crypto';
import { runMigrations } from '@tracker/read-model';
import { ADMIN_URL, admin } from '@tracker/testing';
import { Pool } from 'pg';
import { textArgument } from './arguments';

/** A migrated database for a bench: fresh, or the one `--reuse NAME` names. */
export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  /** What the history's ids are made from: the same for a reused database. */
  readonly tag: string;
  /** True with --reuse: it is loaded already. */
  readonly reused: boolean;
  readonly pool: Pool;
  /** Closes the pool; drops the database unless --keep or --reuse. */
  close(): Promise<void>;
}

/**
 * `tracker_bench_<prefix>_<random>`, or the one `--reuse NAME` names; kept at the end with
 * --keep (or when reused), dropped otherwise. Migrations are applied either way.
 */
export async function benchDatabase(prefix: string): Promise<BenchDatabase> {
  const reuse = textArgument('reuse');
  const keep = reuse !== undefined || process.argv.includes('--keep');
  const name = reuse ?? `tracker_bench_${prefix}_${randomUUID().slice(0, 8)}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  if (!reuse) await admin((client) => client.query(`CREATE DATABASE ${name}`));
  await runMigrations(url.toString());
  const pool = new Pool({ connectionString: url.toString(), max: 2 });
  pool.on('error', () => undefined);
  return {
    name,
    url: url.toString(),
    tag: name.replace(`tracker_bench_${prefix}_`, `${prefix}-`),
    reused: reuse !== undefined,
    pool,
    async close() {
      await pool.end();
      if (keep) process.stderr.write(`kept the database ${name} (--reuse ${name} to time again)\n`);
      else await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
