import type { DatasetAuditResult } from '../../../api/src/reads/audit/dataset-audit.query';
import { formatDatasetAudit } from './format-dataset-audit';

const audit = (overrides: Partial<DatasetAuditResult> = {}): DatasetAuditResult => ({
  datasetId: 'sft-core',
  version: 3,
  asOf: null,
  memberKind: 'trajectory',
  sealed: true,
  sealedAt: new Date('2026-11-20T12:05:00Z'),
  sealedContentHash: 'aa',
  sealedMemberCount: 2,
  computedContentHash: 'bb',
  computedMemberCount: 2,
  hashMatches: false,
  memberCountMatches: true,
  verified: false,
  throughPosition: '42',
  findings: [],
  ...overrides,
});

describe('formatDatasetAudit', () => {
  it('puts the sealed and computed values side by side', () => {
    expect(formatDatasetAudit(audit())).toBe(
      [
        'dataset sft-core version 3',
        '  sealed             yes, at 2026-11-20T12:05:00.000Z',
        '  content hash',
        '    sealed           aa',
        '    computed         bb  (MISMATCH)',
        '  member count',
        '    sealed           2',
        '    computed         2 trajectory  (match)',
        '  verified           no',
        '  journal position   42',
        'findings: none',
        '',
      ].join('\n'),
    );
  });

  it('shows an unsealed view as of a time, and truncates long id lists', () => {
    const memberIds = Array.from({ length: 13 }, (_, index) => `t-${index}`);
    const text = formatDatasetAudit(
      audit({
        asOf: new Date('2026-11-21T00:00:00Z'),
        sealed: false,
        sealedAt: null,
        sealedContentHash: null,
        sealedMemberCount: null,
        hashMatches: null,
        memberCountMatches: null,
        findings: [
          {
            kind: 'unregistered_tool',
            memberIds,
            toolIds: ['tool-x'],
            synthesisRunIds: [],
            detail: '13 trajectory members calling tools never registered: tool-x',
            eventId: null,
            position: null,
          },
        ],
      }),
    );
    expect(text.split('\n')).toEqual([
      'dataset sft-core version 3 as of 2026-11-21T00:00:00.000Z',
      '  sealed             no',
      '  content hash',
      '    sealed           -',
      '    computed         bb',
      '  member count',
      '    sealed           -',
      '    computed         2 trajectory',
      '  verified           no',
      '  journal position   42',
      'findings: 1',
      '  unregistered_tool: 13 trajectory members calling tools never registered: tool-x',
      '    tools      tool-x',
      '    members    (13) t-0, t-1, t-2, t-3, t-4, t-5, t-6, t-7, t-8, t-9 ... and 3 more',
      '',
    ]);
  });
});
