// Writes the published JSON Schemas (schemas/v1/*.schema.json) from the event catalog.
//   node dist/tools/generate-schemas.js            write them, removing stale ones
//   node dist/tools/generate-schemas.js --check    write nothing; exit 1 if any is stale or missing
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { buildJsonSchemas, serializeJsonSchema } from '@tracker/events';
import { repositoryRoot } from '@tracker/config';

function schemaFilesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.schema.json'))
    .map((name) => name.split('\\').join('/'));
}

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const unknown = argv.filter((argument) => argument !== '--check');
  if (unknown.length > 0) {
    console.error(`unknown argument(s): ${unknown.join(' ')}\nusage: generate-schemas [--check]`);
    return 2;
  }
  const root = repositoryRoot();
  const schemasDir = join(root, 'schemas');
  const expected = new Map(
    Object.entries(buildJsonSchemas()).map(([name, schema]) => [name, serializeJsonSchema(schema)]),
  );

  const missing: string[] = [];
  const stale: string[] = [];
  for (const [name, content] of expected) {
    const path = join(schemasDir, name);
    if (!existsSync(path)) missing.push(name);
    else if (readFileSync(path, 'utf8') !== content) stale.push(name);
  }
  // A schema file no catalog type produces any more (a removed or renamed type).
  const extra = schemaFilesUnder(schemasDir).filter((name) => !expected.has(name));

  const where = relative(process.cwd(), schemasDir) || '.';
  if (check) {
    const problems = [
      ...missing.map((name) => `missing  ${name}`),
      ...stale.map((name) => `stale    ${name}`),
      ...extra.map((name) => `extra    ${name}`),
    ];
    if (problems.length === 0) {
      console.log(`${expected.size} JSON Schemas in ${where} are up to date`);
      return 0;
    }
    console.error(`JSON Schemas in ${where} do not match the event catalog:`);
    for (const problem of problems) console.error(`  ${problem}`);
    console.error(
      'run the schemas script (generate-schemas without --check) and commit the result',
    );
    return 1;
  }

  for (const name of [...missing, ...stale]) {
    const path = join(schemasDir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, expected.get(name)!);
  }
  for (const name of extra) rmSync(join(schemasDir, name));
  console.log(
    `${where}: ${missing.length} written, ${stale.length} updated, ${extra.length} removed, ` +
      `${expected.size - missing.length - stale.length} unchanged`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
