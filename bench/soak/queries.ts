import type { AcceptedLoad } from './load';

export const QUERY_KINDS = ['lineage', 'rewardSeries', 'datasetAudit'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

/** One timed GraphQL question; `error` when it failed (HTTP, GraphQL errors, timeout). */
export interface QueryTiming {
  readonly at: number;
  readonly kind: QueryKind;
  readonly ms: number;
  readonly error?: string;
}

export interface Queries {
  readonly count: number;
  readonly errors: number;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The question of `kind` about what was accepted last; undefined while nothing fits yet. */
function question(
  kind: QueryKind,
  accepted: AcceptedLoad,
  rlRunId: string,
): { query: string; variables: Record<string, unknown> } | undefined {
  switch (kind) {
    case 'lineage':
      return accepted.lastRewardId === undefined
        ? undefined
        : {
            query: `query($id: ID!) { lineage(id: $id, depth: 10) { truncated nodes { id kind distance } edges { src relation dst } } }`,
            variables: { id: `reward:${accepted.lastRewardId}` },
          };
    case 'rewardSeries':
      return {
        query: `query($rlRunId: ID!) { rewardSeries(rlRunId: $rlRunId, domain: "math") { points { fromStep toStep mean std passRate } } }`,
        variables: { rlRunId },
      };
    case 'datasetAudit':
      return accepted.lastSealed === undefined
        ? undefined
        : {
            query: `query($datasetId: ID!, $version: Int!) { datasetAudit(datasetId: $datasetId, version: $version) {
              sealed verified hashMatches computedMemberCount findings { kind detail memberCount } } }`,
            variables: accepted.lastSealed,
          };
  }
}

/**
 * Asks the API `rate` questions a second on a fixed schedule (lineage of the last accepted
 * reward, a run's reward series, the audit of the last sealed dataset version, in turn), one
 * at a time; a question that is late is asked at once, not piled up.
 */
export function startQueries(
  apiUrl: string,
  rate: number,
  accepted: AcceptedLoad,
  rlRunId: string,
  onTiming: (timing: QueryTiming) => void,
): Queries {
  const state = { count: 0, errors: 0, stopped: false };
  const loop = (async () => {
    for (let index = 0; !state.stopped; index++) {
      const due = Date.now() + 1000 / rate;
      const kind = QUERY_KINDS[index % QUERY_KINDS.length];
      const asked = question(kind, accepted, rlRunId);
      if (asked) {
        const started = process.hrtime.bigint();
        let error: string | undefined;
        try {
          const response = await fetch(`${apiUrl}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(asked),
            signal: AbortSignal.timeout(30_000),
          });
          const body = (await response.json()) as { errors?: { message: string }[] };
          if (!response.ok || body.errors?.length)
            error = `${response.status}: ${body.errors?.map((each) => each.message).join('; ')}`;
        } catch (caught) {
          error = caught instanceof Error ? caught.message : String(caught);
        }
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        state.count++;
        if (error) state.errors++;
        onTiming({ at: Date.now(), kind, ms, error });
      }
      await sleep(Math.max(0, due - Date.now()));
    }
  })();
  loop.catch(() => undefined); // observed by stop()
  return {
    get count() {
      return state.count;
    },
    get errors() {
      return state.errors;
    },
    async stop() {
      state.stopped = true;
      await loop;
    },
  };
}
