import { RESPONSE_TOKEN_BUCKETS, SERIES_SPANS } from '@tracker/read-model';

// Rollup rows of one long RL run, as the projector would have built them from its events,
// generated directly (COPY text fields): per step, rewards split evenly over four
// (domain, kind, judge) series and rollouts with log-normal response lengths.

/** The run's reward series: domain, kind, and judge as reward_rollups keys it. */
const JUDGES = [
  { domain: 'math', kind: 'verifiable', verifier: ['math-verify', '1.0'], critic: '' },
  { domain: 'coding', kind: 'verifiable', verifier: ['unit-tests', '2'], critic: '' },
  { domain: 'instruction_following', kind: 'verifiable', verifier: ['if-judge', '1'], critic: '' },
  { domain: 'creative_writing', kind: 'self_critic', verifier: ['', ''], critic: 'critic-1' },
];

export const REWARD_ROLLUP_COLUMNS = [
  'rl_run_id',
  'domain',
  'kind',
  'step',
  'verifier_name',
  'verifier_version',
  'critic_version_id',
  'count',
  'sum',
  'sum_squares',
  'min',
  'max',
  'pass_count',
  'hack_flagged_count',
];

/** A small deterministic generator (mulberry32). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** reward_rollups rows of steps 0 .. steps - 1: `perStep` rewards per step over the four judges. */
export function* rewardRollupRows(
  rlRunId: string,
  steps: number,
  perStep: number,
): Generator<string[]> {
  const random = seeded(7);
  const each = Math.max(1, Math.floor(perStep / JUDGES.length));
  for (let step = 0; step < steps; step++) {
    const passRate = 0.2 + (0.6 * step) / steps;
    for (const judge of JUDGES) {
      let sum = 0; // in thousandths: self-critic values have 3 decimals, sums stay exact
      let squares = 0; // in millionths
      let min = Infinity;
      let max = -Infinity;
      let passes = 0;
      let flagged = 0;
      for (let index = 0; index < each; index++) {
        const value =
          judge.kind === 'verifiable'
            ? random() < passRate
              ? 1000
              : 0
            : Math.floor(random() * 1001);
        if (value === 1000 && judge.kind === 'verifiable') passes++;
        if (random() < 0.02) flagged++;
        sum += value;
        squares += value * value;
        min = Math.min(min, value);
        max = Math.max(max, value);
      }
      yield [
        rlRunId,
        judge.domain,
        judge.kind,
        String(step),
        judge.verifier[0],
        judge.verifier[1],
        judge.critic,
        String(each),
        (sum / 1000).toFixed(3),
        (squares / 1e6).toFixed(6),
        String(min / 1000),
        String(max / 1000),
        String(passes),
        String(flagged),
      ];
    }
  }
}

export const ROLLOUT_ROLLUP_COLUMNS = [
  'rl_run_id',
  'span',
  'step',
  'rollouts',
  'response_tokens_sum',
  'prompt_tokens_sum',
  'prompt_tokens_count',
  'turns_sum',
  'turns_count',
  'tool_calls_sum',
  'tool_calls_count',
  'finish_stop',
  'finish_length',
  'finish_repeat',
  'finish_budget',
  'finish_tool_error',
  'finish_partial',
  'finish_aborted',
  'finish_none',
  'continued',
  'response_tokens_max',
  'response_tokens_histogram',
];

/** rollout_rollups rows (every span) of `steps` steps of `perStep` rollouts. */
export function rolloutRollupRows(rlRunId: string, steps: number, perStep: number): string[][] {
  const random = seeded(11);
  const budget = 32_768;
  // Per step: the additive figures (ROLLOUT_ROLLUP_COLUMNS 3..19), the max, the histogram.
  const perStepRows: Array<{ sums: number[]; max: number; histogram: number[] }> = [];
  for (let step = 0; step < steps; step++) {
    const sums = new Array<number>(17).fill(0);
    const histogram = new Array<number>(RESPONSE_TOKEN_BUCKETS).fill(0);
    let max = 0;
    for (let index = 0; index < perStep; index++) {
      // Log-normal lengths around e^7.5 (about 1,800 tokens), cut at the budget.
      const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      const tokens = Math.min(budget, Math.floor(Math.exp(7.5 + normal)));
      const reason = tokens === budget ? 9 : random() < 0.03 ? 10 : random() < 0.01 ? 14 : 8;
      sums[0]++;
      sums[1] += tokens;
      sums[2] += 200 + Math.floor(random() * 800);
      sums[3]++;
      sums[4] += 1 + Math.floor(random() * 6);
      sums[5]++;
      sums[6] += Math.floor(random() * 5);
      sums[7]++;
      sums[reason]++;
      if (random() < 0.05) sums[16]++;
      histogram[32 - Math.clz32(tokens)]++;
      max = Math.max(max, tokens);
    }
    perStepRows.push({ sums, max, histogram });
  }
  const rows: string[][] = [];
  for (const span of SERIES_SPANS) {
    for (let start = 0; start < steps; start += span) {
      const block = perStepRows.slice(start, start + span);
      const sums = block[0].sums.map((_, column) => block.reduce((s, r) => s + r.sums[column], 0));
      const histogram = block[0].histogram.map((_, bucket) =>
        block.reduce((s, r) => s + r.histogram[bucket], 0),
      );
      rows.push([
        rlRunId,
        String(span),
        String(start),
        ...sums.map(String),
        String(Math.max(...block.map((r) => r.max))),
        `{${histogram.join(',')}}`,
      ]);
    }
  }
  return rows;
}
