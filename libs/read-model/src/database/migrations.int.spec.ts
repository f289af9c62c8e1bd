import { randomBytes } from 'node:crypto';
import { ADMIN_URL, admin } from '@tracker/testing';
import { MIGRATIONS, runMigrations } from './migration-data-source';

// api and projector processes start together and each migrates at start-up.
describe('runMigrations (real Postgres)', () => {
  const name = `tracker_migrations_${randomBytes(4).toString('hex')}`;
  const url = (() => {
    const parsed = new URL(ADMIN_URL);
    parsed.pathname = `/${name}`;
    return parsed.toString();
  })();
  beforeAll(() => admin((client) => client.query(`CREATE DATABASE ${name}`)));
  afterAll(() => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));

  it('lets one of several concurrent processes apply the migrations and the others find none', async () => {
    const results = await Promise.all([runMigrations(url), runMigrations(url), runMigrations(url)]);
    const applied = results.filter((names) => names.length > 0);
    expect(applied).toEqual([MIGRATIONS.map((migration) => new migration().name)]);
    expect(await runMigrations(url)).toEqual([]);
  });
});
