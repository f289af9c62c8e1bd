import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { loadConfig } from '@tracker/config';
import { createTestDatabase, type TestDatabase } from '@tracker/testing';
import { startTracker, type RunningTracker } from '../../apps/cli/src/tracker-app';
import {
  SCHEMA_FILE,
  buildApiSchema,
  printApiSchema,
  repositoryRoot,
} from '../../tools/print-schema';

const STALE = `${SCHEMA_FILE} is not the current API schema: run \`npm run schema:print\` and commit it`;

function committedSchema(): string {
  return readFileSync(join(repositoryRoot(), SCHEMA_FILE), 'utf8');
}

// Compares line by line first, so that a failure names the first differing line.
function expectSameSchema(actual: string, committed: string): void {
  const actualLines = actual.split('\n');
  const committedLines = committed.split('\n');
  const index = actualLines.findIndex((line, i) => line !== committedLines[i]);
  if (index !== -1 || actualLines.length !== committedLines.length) {
    const at = index === -1 ? Math.min(actualLines.length, committedLines.length) : index;
    throw new Error(
      `${STALE}\nfirst difference at line ${at + 1}:\n  committed: ${JSON.stringify(committedLines[at])}\n  current:   ${JSON.stringify(actualLines[at])}`,
    );
  }
  expect(actual).toBe(committed);
}

describe('committed GraphQL schema', () => {
  it(`${SCHEMA_FILE} is the schema built from the resolvers`, async () => {
    expectSameSchema(printApiSchema(await buildApiSchema()), committedSchema());
  });

  describe('served by the booted API', () => {
    let database: TestDatabase;
    let tracker: RunningTracker;
    beforeAll(async () => {
      database = await createTestDatabase('schema');
      const config = loadConfig({ DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'warn' });
      tracker = await startTracker(config, { api: true, projector: false });
    });
    afterAll(async () => {
      await tracker?.close();
      await database?.drop();
    });

    it(`equals ${SCHEMA_FILE}`, () => {
      const served = tracker.app.get(GraphQLSchemaHost).schema;
      expectSameSchema(printApiSchema(served), committedSchema());
    });
  });
});
