import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository root (or the image's /app): the nearest folder above `from` holding
 * package.json, from the sources or from dist.
 */
export function repositoryRoot(from: string = __dirname): string {
  let folder = from;
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${from}`);
    folder = parent;
  }
  return folder;
}
