// Writes the GraphQL schema of the API (schema.graphql at the repository root), built from the
// resolvers alone: no database or log is needed.
//   node dist/tools/print-schema.js            write it
//   node dist/tools/print-schema.js --check    write nothing; exit 1 if it is stale or missing
import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { API_RESOLVERS } from '../apps/api/src/api-resolvers';
import { repositoryRoot } from '@tracker/config';

export { repositoryRoot };

/** The file the schema is committed to, relative to the repository root. */
export const SCHEMA_FILE = 'schema.graphql';

/** The API's schema built from its resolvers, as the booted API serves it. */
export async function buildApiSchema(): Promise<GraphQLSchema> {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, {
    logger: false,
  });
  try {
    return await app.get(GraphQLSchemaFactory).create(API_RESOLVERS);
  } finally {
    await app.close();
  }
}

/** The schema text as committed: types sorted, one trailing newline. */
export function printApiSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  const check = argv.includes('--check');
  const unknown = argv.filter((argument) => argument !== '--check');
  if (unknown.length > 0) {
    console.error(`unknown argument(s): ${unknown.join(' ')}\nusage: print-schema [--check]`);
    return 2;
  }
  const path = join(repositoryRoot(), SCHEMA_FILE);
  const where = relative(process.cwd(), path) || path;
  const text = printApiSchema(await buildApiSchema());
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (check) {
    if (current === text) {
      console.log(`${where} is up to date`);
      return 0;
    }
    console.error(
      `${where} ${current === undefined ? 'is missing' : 'differs from the API schema'}: run \`npm run schema:print\``,
    );
    return 1;
  }
  writeFileSync(path, text);
  console.log(`wrote ${where}`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
