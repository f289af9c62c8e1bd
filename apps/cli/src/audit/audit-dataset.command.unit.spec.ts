import { AuditUsageError, parseAuditArguments } from './audit-dataset.command';

const usageError = (args: string[]) => {
  try {
    parseAuditArguments(args);
  } catch (error) {
    expect(error).toBeInstanceOf(AuditUsageError);
    return (error as Error).message;
  }
  throw new Error(`${args.join(' ')} was accepted`);
};

describe('parseAuditArguments', () => {
  it('reads DATASET@VERSION, the version after the last "@"', () => {
    expect(parseAuditArguments(['dataset', 'sft-core@3'])).toEqual({
      datasetId: 'sft-core',
      version: 3,
      asOf: null,
      json: false,
    });
    expect(parseAuditArguments(['dataset', 'team@sft@12', '--json'])).toMatchObject({
      datasetId: 'team@sft',
      version: 12,
      json: true,
    });
  });

  it('reads --as-of as a date-time', () => {
    expect(
      parseAuditArguments(['dataset', 'sft@1', '--as-of', '2026-11-20T12:00:00Z']).asOf,
    ).toEqual(new Date('2026-11-20T12:00:00.000Z'));
  });

  it('says what is wrong', () => {
    expect(usageError([])).toBe('what to audit is missing');
    expect(usageError(['run', 'x@1'])).toBe('cannot audit "run": only "dataset"');
    expect(usageError(['dataset'])).toBe('DATASET@VERSION is missing');
    expect(usageError(['dataset', 'sft@0'])).toBe(
      '"sft@0" is not DATASET@VERSION with VERSION an integer from 1 (e.g. sft-core@3)',
    );
    expect(usageError(['dataset', '@3'])).toMatch(/is not DATASET@VERSION/);
    expect(usageError(['dataset', 'sft@1', '--as-of', 'yesterday'])).toBe(
      '--as-of: "yesterday" is not a date-time (e.g. 2026-11-20T12:00:00Z)',
    );
    expect(usageError(['dataset', 'sft@1', '--as-of'])).toMatch(/^--as-of: "" is not a date-time/);
    expect(usageError(['dataset', 'sft@1', '--verbose'])).toBe('unknown option "--verbose"');
  });
});
