import { ApiError } from '../../graphql/api-error';
import { seriesRequest, type SeriesArguments } from './series-arguments';

const rejection = (args: SeriesArguments) => {
  try {
    seriesRequest(args);
  } catch (error) {
    return error instanceof ApiError ? { code: error.code, message: error.message } : error;
  }
  throw new Error('accepted');
};

describe('seriesRequest', () => {
  it('takes one run or up to 20 distinct runs, in the order given, and defaults maxPoints to 500', () => {
    expect(seriesRequest({ rlRunId: 'a' })).toEqual({
      runs: ['a'],
      fromStep: null,
      toStep: null,
      maxPoints: 500,
    });
    const twenty = Array.from({ length: 20 }, (_, index) => `run-${index}`);
    expect(
      seriesRequest({ runs: [...twenty, 'run-3'], fromStep: 0, toStep: 0, maxPoints: 1 }),
    ).toEqual({ runs: twenty, fromStep: 0, toStep: 0, maxPoints: 1 });
  });

  it.each<[SeriesArguments, string]>([
    [{}, 'give rlRunId (one run) or runs (up to 20)'],
    [{ rlRunId: 'a', runs: ['b'] }, 'give rlRunId or runs, not both'],
    [{ runs: [] }, 'runs must name 1 to 20 runs (got 0)'],
    [
      { runs: Array.from({ length: 21 }, (_, i) => `r${i}`) },
      'runs must name 1 to 20 runs (got 21)',
    ],
    [{ rlRunId: 'a', maxPoints: 0 }, 'maxPoints must be between 1 and 5000 (got 0)'],
    [{ rlRunId: 'a', maxPoints: 5001 }, 'maxPoints must be between 1 and 5000 (got 5001)'],
    [{ rlRunId: 'a', fromStep: 8, toStep: 7 }, 'fromStep (8) must not be after toStep (7)'],
    [{ rlRunId: 'a', fromStep: -1 }, 'fromStep must be >= 0, as steps are (got -1)'],
    [{ rlRunId: 'a', toStep: -3 }, 'toStep must be >= 0, as steps are (got -3)'],
  ])('rejects %j as BAD_USER_INPUT: %s', (args, message) => {
    expect(rejection(args)).toEqual({ code: 'BAD_USER_INPUT', message });
  });
});
