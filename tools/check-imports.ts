/**
 * Checks the dependency rules of the layout (style guide): no circular imports; libs never
 * import apps; apps import no other app (except apps/cli, the composition root); libs/events
 * imports nothing of ours; kafkajs is imported only by the Kafka adapter (and test helpers).
 * Exits 1 listing every violation.
 *
 *   node dist/tools/check-imports.js
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { repositoryRoot } from '@tracker/config';

const root = repositoryRoot();
const aliases: Record<string, string> = {};
for (const name of readdirSync(join(root, 'libs')))
  aliases[`@tracker/${name}`] = join(root, 'libs', name, 'src/index.ts');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') && !path.endsWith('.d.ts')
      ? [path]
      : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (aliases[specifier]) return aliases[specifier];
  if (!specifier.startsWith('.')) return undefined; // a package
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

const files = [...sourceFiles(join(root, 'apps')), ...sourceFiles(join(root, 'libs'))];
const graph = new Map<string, string[]>();
const problems: string[] = [];
// kafkajs is unmaintained: it stays behind the log port so that another client can replace it.
const kafkajsAllowed = ['libs/log/src/kafka/', 'libs/testing/'];
for (const file of files) {
  const specifiers = ts
    .preProcessFile(readFileSync(file, 'utf8'), true, true)
    .importedFiles.map((imported) => imported.fileName);
  const path = relative(root, file);
  if (specifiers.some((specifier) => specifier === 'kafkajs' || specifier.startsWith('kafkajs/'))) {
    if (!kafkajsAllowed.some((prefix) => path.startsWith(prefix)))
      problems.push(`${path}: imports kafkajs outside libs/log/src/kafka`);
  }
  const imports = specifiers
    .map((specifier) => resolveImport(file, specifier))
    .filter((target): target is string => target !== undefined);
  graph.set(file, imports);
}

const area = (file: string) => relative(root, file).split('/').slice(0, 2).join('/');
for (const [file, imports] of graph) {
  const from = area(file);
  for (const target of imports) {
    const to = area(target);
    if (from === to) continue;
    if (from.startsWith('libs/') && to.startsWith('apps/'))
      problems.push(`${relative(root, file)}: a lib imports an app (${to})`);
    if (from.startsWith('apps/') && to.startsWith('apps/') && from !== 'apps/cli')
      problems.push(`${relative(root, file)}: an app imports another app (${to})`);
    if (from === 'libs/events' && !to.startsWith('node_modules'))
      problems.push(`${relative(root, file)}: libs/events imports ${to}`);
  }
}

// Cycles: depth-first search, reporting each cycle once by its smallest file.
const state = new Map<string, 'visiting' | 'done'>();
const stack: string[] = [];
const cycles = new Set<string>();
function visit(file: string): void {
  state.set(file, 'visiting');
  stack.push(file);
  for (const target of graph.get(file) ?? []) {
    if (state.get(target) === 'visiting') {
      const cycle = stack.slice(stack.indexOf(target)).map((path) => relative(root, path));
      const start = cycle.indexOf([...cycle].sort()[0]);
      cycles.add([...cycle.slice(start), ...cycle.slice(0, start)].join(' -> '));
    } else if (!state.has(target) && graph.has(target)) {
      visit(target);
    }
  }
  stack.pop();
  state.set(file, 'done');
}
for (const file of graph.keys()) if (!state.has(file)) visit(file);
for (const cycle of cycles) problems.push(`circular import: ${cycle}`);

if (problems.length > 0) {
  process.stderr.write(
    `${problems.length} dependency rule violation(s):\n  ${problems.join('\n  ')}\n`,
  );
  process.exit(1);
}
process.stdout.write(`imports of ${graph.size} files follow the dependency rules, no cycles\n`);
