/** The p-th percentile of sorted values (nearest rank); NaN when there are none. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** A GraphQL question a bench times, with its p95 target in ms (null: the issue sets none). */
export interface TimedQuestion {
  readonly label: string;
  readonly target: number | null;
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

export interface QuestionTiming {
  /** p50 and p95 of the timed runs, ms. */
  readonly p50: number;
  readonly p95: number;
  /** The last answer (for what it held). */
  readonly data: Record<string, unknown>;
  /** `p50 ... ms  p95 ... ms  (target ...: met)`, for the printed line. */
  readonly figures: string;
}

/** One answer to `question` (with `headers`, e.g. an API key); throws on GraphQL errors. */
export async function ask(
  endpoint: string,
  question: Pick<TimedQuestion, 'label' | 'query' | 'variables'>,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const response = await fetch(`${endpoint}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: question.query, variables: question.variables }),
  });
  const body = (await response.json()) as {
    data?: Record<string, unknown>;
    errors?: Array<{ message: string }>;
  };
  if (body.errors?.length) {
    throw new Error(
      `${question.label}: GraphQL errors: ${body.errors.map((error) => error.message).join('; ')}`,
    );
  }
  return body.data ?? {};
}

/** Times `question` over HTTP + GraphQL: 3 warm-ups, then `runs` timed runs. */
export async function timeQuestion(
  endpoint: string,
  question: TimedQuestion,
  runs: number,
  headers: Record<string, string> = {},
): Promise<QuestionTiming> {
  for (let warm = 0; warm < 3; warm++) await ask(endpoint, question, headers);
  const times: number[] = [];
  let data: Record<string, unknown> = {};
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint();
    data = await ask(endpoint, question, headers);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  const [p50, p95] = [percentile(times, 50), percentile(times, 95)];
  const verdict =
    question.target === null
      ? '(no target)'
      : `(target p95 < ${question.target} ms: ${p95 < question.target ? 'met' : 'NOT met'})`;
  return {
    p50,
    p95,
    data,
    figures: `p50 ${p50.toFixed(1).padStart(7)} ms  p95 ${p95.toFixed(1).padStart(7)} ms  ${verdict}`,
  };
}
