import { decodeVerifierId, encodeVerifierId, verifierNode } from './node-id';

describe('verifier node ids', () => {
  it('keeps the common case readable', () => {
    expect(verifierNode('math-verify', '1.3')).toBe('verifier:math-verify@1.3');
  });

  it('escapes "%" and "@" in the name only, so the first "@" ends it', () => {
    expect(verifierNode('a@b', 'c')).toBe('verifier:a%40b@c');
    expect(verifierNode('a', 'b@c')).toBe('verifier:a@b@c');
    expect(verifierNode('100%', '2')).toBe('verifier:100%25@2');
    expect(verifierNode('x%40y', '1')).toBe('verifier:x%2540y@1');
    expect(verifierNode('n', '5%@%40')).toBe('verifier:n@5%@%40');
  });

  it('gives every name and version back, and two versions never the same id', () => {
    const pairs = [
      ['a@b', 'c'],
      ['a', 'b@c'],
      ['a@b@', '@'],
      ['@', '@@'],
      ['%', '%'],
      ['%25', '1'],
      ['%40', '1'],
      ['x%40y', 'v%40w'],
      ['%%@@%', '2.0'],
      ['vérificateur:math', '1:2'],
    ] as const;
    const ids = new Set<string>();
    for (const [name, version] of pairs) {
      const id = encodeVerifierId(name, version);
      ids.add(id);
      expect(decodeVerifierId(id)).toEqual({ name, version });
    }
    expect(ids.size).toBe(pairs.length);
  });

  it('says what is wrong with an ID that no name and version give', () => {
    const notVersioned =
      'does not name a version: verifiers are verifier:NAME@VERSION (e.g. "verifier:math@1.3")';
    expect(decodeVerifierId('math')).toEqual({ problem: notVersioned });
    expect(decodeVerifierId('math@')).toEqual({ problem: notVersioned });
    expect(decodeVerifierId('@1.3')).toEqual({ problem: 'has an empty verifier name before "@"' });
    const malformed = (escape: string) => ({
      problem: `has a malformed escape ${JSON.stringify(escape)} in the verifier name: only %25 ("%") and %40 ("@") are allowed`,
    });
    expect(decodeVerifierId('100%@2')).toEqual(malformed('%'));
    expect(decodeVerifierId('a%4@b')).toEqual(malformed('%4'));
    // A valid percent-escape of another character would be a second id for the same name.
    expect(decodeVerifierId('a%62@c')).toEqual(malformed('%62'));
    expect(decodeVerifierId('%2540%41@1')).toEqual(malformed('%41'));
  });
});
