import { verifierNode } from '@tracker/read-model';
import { ApiError } from '../graphql/api-error';
import { parseTypedNodeId } from './typed-node-id';

const failure = (text: string) => {
  try {
    parseTypedNodeId(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return { code: (error as ApiError).code, message: (error as Error).message };
  }
  throw new Error(`${text} was accepted`);
};

describe('parseTypedNodeId', () => {
  it('splits KIND:ID at the first colon (ids may hold colons)', () => {
    expect(parseTypedNodeId('tool:t-1')).toEqual({ kind: 'tool', id: 't-1' });
    expect(parseTypedNodeId('rl_run:run:2026:11')).toEqual({ kind: 'rl_run', id: 'run:2026:11' });
  });

  it('takes a dataset version apart at the last "@"', () => {
    expect(parseTypedNodeId('dataset_version:sft-core@3')).toEqual({
      kind: 'dataset_version',
      id: 'sft-core@3',
      datasetId: 'sft-core',
      version: 3,
    });
    expect(parseTypedNodeId('dataset_version:team@sft@12')).toMatchObject({
      datasetId: 'team@sft',
      version: 12,
    });
  });

  it('takes a verifier version apart at the first "@", unescaping the name', () => {
    expect(parseTypedNodeId('verifier:math@1.3')).toEqual({
      kind: 'verifier',
      id: 'math@1.3',
      name: 'math',
      version: '1.3',
    });
    // The two verifiers that used to share verifier:a@b@c.
    expect(parseTypedNodeId('verifier:a%40b@c')).toMatchObject({ name: 'a@b', version: 'c' });
    expect(parseTypedNodeId('verifier:a@b@c')).toMatchObject({ name: 'a', version: 'b@c' });
    expect(parseTypedNodeId('verifier:x%2540y@v%40w')).toMatchObject({
      name: 'x%40y',
      version: 'v%40w',
    });
  });

  it('gives back the name and version of every verifier node id', () => {
    for (const [name, version] of [
      ['a@b', 'c'],
      ['a', 'b@c'],
      ['100%', '1@2'],
      ['%40', '%25'],
    ]) {
      expect(parseTypedNodeId(verifierNode(name, version))).toMatchObject({ name, version });
    }
  });

  it('names the wrong part', () => {
    expect(failure('sft-core')).toEqual({
      code: 'BAD_USER_INPUT',
      message:
        'id: "sft-core" is not a typed node id KIND:ID (e.g. "tool:tool-1" or "dataset_version:sft-core@3")',
    });
    expect(failure('tools:t-1').message).toMatch(
      /^id: "tools:t-1" has an unknown kind "tools"; kinds: tool, agent, /,
    );
    expect(failure('agent:').message).toBe('id: "agent:" has an empty ID after "agent:"');
    expect(failure('dataset_version:@3').message).toMatch(/does not name a version/);
    expect(failure('dataset_version:sft@v3').message).toBe(
      'id: "dataset_version:sft@v3" has version "v3", not an integer from 1 to 2147483647',
    );
    expect(failure('dataset_version:sft@2147483648').message).toMatch(/has version "2147483648"/);
    expect(failure('verifier:math')).toEqual({
      code: 'BAD_USER_INPUT',
      message:
        'id: "verifier:math" does not name a version: verifiers are verifier:NAME@VERSION (e.g. "verifier:math@1.3")',
    });
    expect(failure('verifier:math@').message).toMatch(/does not name a version/);
    expect(failure('verifier:@1.3').message).toBe(
      'id: "verifier:@1.3" has an empty verifier name before "@"',
    );
    expect(failure('verifier:100%@1')).toEqual({
      code: 'BAD_USER_INPUT',
      message:
        'id: "verifier:100%@1" has a malformed escape "%" in the verifier name: only %25 ("%") and %40 ("@") are allowed',
    });
    expect(failure('verifier:a%41@1').message).toMatch(/has a malformed escape "%41"/);
  });
});
