import {
  compareCodePoints,
  computedFindings,
  listIds,
  type ComputedChecks,
} from './audit-findings';

const none: ComputedChecks = {
  unknownTrajectoryIds: [],
  unknownTaskIds: [],
  rejectedIds: [],
  failedRunMemberIds: [],
  failedRunIds: [],
  unregisteredToolIds: [],
  unregisteredToolMemberIds: [],
};

describe('computedFindings', () => {
  it('has no finding for a clean version', () => {
    expect(computedFindings(none)).toEqual([]);
  });

  it('makes one finding per kind, in a fixed order, with the related ids', () => {
    const findings = computedFindings({
      ...none,
      unregisteredToolIds: ['tool-x'],
      unregisteredToolMemberIds: ['t-4'],
      rejectedIds: ['t-1', 't-2'],
      failedRunMemberIds: ['t-3'],
      failedRunIds: ['syn-9'],
    });
    expect(findings).toEqual([
      {
        kind: 'judge_rejected',
        memberIds: ['t-1', 't-2'],
        toolIds: [],
        synthesisRunIds: [],
        detail: '2 trajectory members rejected by the judge (judgement.passed = false)',
        eventId: null,
        position: null,
      },
      {
        kind: 'failed_synthesis_run',
        memberIds: ['t-3'],
        toolIds: [],
        synthesisRunIds: ['syn-9'],
        detail: '1 trajectory member from synthesis runs that failed: syn-9',
        eventId: null,
        position: null,
      },
      {
        kind: 'unregistered_tool',
        memberIds: ['t-4'],
        toolIds: ['tool-x'],
        synthesisRunIds: [],
        detail: '1 trajectory member calling tools never registered: tool-x',
        eventId: null,
        position: null,
      },
    ]);
  });

  it('merges unknown trajectories and tasks into one finding, in code point order', () => {
    const [finding] = computedFindings({
      ...none,
      unknownTrajectoryIds: ['b', '\u{1F600}'],
      unknownTaskIds: ['a', '\uFF5E'],
    });
    expect(finding.memberIds).toEqual(['a', 'b', '\uFF5E', '\u{1F600}']);
    expect(finding.detail).toBe(
      '2 trajectory members never recorded (no trajectory.recorded); 2 task members never defined (no task.defined)',
    );
  });
});

describe('listIds', () => {
  it('lists up to ten ids, then how many more', () => {
    const ids = Array.from({ length: 12 }, (_, index) => `t-${index}`);
    expect(listIds(ids.slice(0, 2))).toBe('t-0, t-1');
    expect(listIds(ids)).toBe('t-0, t-1, t-2, t-3, t-4, t-5, t-6, t-7, t-8, t-9 and 2 more');
  });
});

describe('compareCodePoints', () => {
  it('orders by code point, unlike UTF-16 units', () => {
    expect(['\u{1F600}', '\uFF5E', 'a', 'B'].sort(compareCodePoints)).toEqual([
      'B',
      'a',
      '\uFF5E',
      '\u{1F600}',
    ]);
  });
});
