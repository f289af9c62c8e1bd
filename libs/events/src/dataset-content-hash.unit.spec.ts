import { createHash } from 'node:crypto';
import { datasetContentHash } from '@tracker/events';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('datasetContentHash', () => {
  it('hashes the distinct ids, sorted, joined by newlines without a trailing one', () => {
    expect(datasetContentHash(['t-2', 't-1', 't-2', 't-10'])).toBe(sha256('t-1\nt-10\nt-2'));
    expect(datasetContentHash(['t-1', 't-10', 't-2'])).toBe(
      // the same value computed by Python: sha256("\n".join(sorted(set(ids))).encode()).hexdigest()
      'e6c394fcf2523e248c1996768e4b1ca7307b97d1b8aa6cf8e503d3634950abae',
    );
  });

  it('is the hash of the empty string for no members', () => {
    expect(datasetContentHash([])).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('sorts by code point, as Python does, not by UTF-16 unit', () => {
    // U+FF5E sorts before U+1F600 by code point; by UTF-16 unit the emoji (0xD83D...) would come first
    expect(datasetContentHash(['\u{1F600}', '\uFF5E'])).toBe(sha256('\uFF5E\n\u{1F600}'));
    // Python: sha256("\n".join(sorted({"\U0001F600", "\uFF5E"})).encode()).hexdigest()
    expect(datasetContentHash(['\u{1F600}', '\uFF5E'])).toBe(
      '1736fbad41394349ce74c18a095ce0e968c26aecec953e2bdba29fcf4636818f',
    );
    expect(datasetContentHash(['\u{1F600}', '\uFF5E'])).not.toBe(
      sha256(['\u{1F600}', '\uFF5E'].sort().join('\n')),
    );
  });
});
