import { createHash } from 'node:crypto';

/**
 * The `contentHash` of a dataset version (see `dataset.sealed`): lowercase hex SHA-256 of its
 * distinct member ids, sorted ascending by Unicode code point, joined by "\n" (no trailing one).
 */
export function datasetContentHash(memberIds: Iterable<string>): string {
  // UTF-8 byte order is code point order; a plain `sort()` compares UTF-16 units and would put
  // astral characters (emoji) before U+E000..U+FFFF, unlike Python's `sorted`.
  const sorted = [...new Set(memberIds)]
    .map((id) => ({ id, bytes: Buffer.from(id, 'utf8') }))
    .sort((left, right) => Buffer.compare(left.bytes, right.bytes))
    .map(({ id }) => id);
  return createHash('sha256').update(sorted.join('\n'), 'utf8').digest('hex');
}
