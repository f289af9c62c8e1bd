import { randomUUID } from 'node:crypto';
import { LogUnavailableError, type EventLogProducer } from '@tracker/log';
import {
  datasetMembersAddedEvent,
  datasetSealedEvent,
  rewardAssignedEvent,
} from '@tracker/testing';
import { eventMix } from '../ingest/event-mix';

/** Messages the projector must refuse, one kind per dead-letter reason it should give. */
export const POISON_KINDS = ['not-json', 'unknown-type', 'invalid-data'] as const;
export type PoisonKind = (typeof POISON_KINDS)[number];

/** Which poison kind a dead letter's reason belongs to (undefined: none we sent). */
export function poisonKindOf(reason: string): PoisonKind | undefined {
  if (reason.startsWith('event is not valid JSON')) return 'not-json';
  if (reason.startsWith('type: unknown event type "soak.poison"')) return 'unknown-type';
  if (reason.startsWith('data.value:')) return 'invalid-data';
  return undefined;
}

/** One message of the load: an event (id) or a poison message (kind), as a log record. */
export interface SoakRecord {
  readonly key: string;
  readonly value: string;
  readonly id?: string;
  readonly poison?: PoisonKind;
  readonly reward?: { readonly rewardId: string; readonly rlRunId: string };
  readonly sealed?: { readonly datasetId: string; readonly version: number };
}

/**
 * The soak's endless stream: bench/ingest's RL-heavy mix, a sealed dataset version (of recent
 * trajectories) every `datasetEvery` messages, and one poison message every `poisonEvery`
 * (cycling through the kinds), each unique so that a dead letter can be traced to it.
 */
export class SoakMix {
  private readonly events: Generator<Record<string, unknown>>;
  private readonly trajectories: string[] = [];
  private made = 0;
  private poisoned = 0;
  private datasetVersion = 0;
  private readonly queued: SoakRecord[] = [];

  constructor(
    private readonly tag: string,
    runs: number,
    private readonly poisonEvery: number,
    private readonly datasetEvery = 1_000,
  ) {
    this.events = eventMix(Number.MAX_SAFE_INTEGER, runs, tag);
  }

  /** The `index`-th RL run of the mix (subjects `rl:<tag>-run-<index>`). */
  static runId(tag: string, index: number): string {
    return `${tag}-run-${index}`;
  }

  next(): SoakRecord {
    const queued = this.queued.shift();
    if (queued) return queued;
    this.made++;
    if (this.poisonEvery > 0 && this.made % this.poisonEvery === 0) return this.poison();
    // Half a period off the poison, so that neither takes the other's turn.
    const datasetTurn = (this.made + Math.floor(this.datasetEvery / 2)) % this.datasetEvery === 0;
    if (datasetTurn && this.trajectories.length > 0) {
      this.queued.push(...this.datasetVersionRecords());
      return this.queued.shift()!;
    }
    const event = this.events.next().value as Record<string, unknown> & {
      id: string;
      type: string;
      subject: string;
      data: Record<string, unknown>;
    };
    if (event.type === 'trajectory.recorded') {
      this.trajectories.push(event.data.trajectoryId as string);
      if (this.trajectories.length > 20) this.trajectories.shift();
    }
    const reward =
      event.type === 'reward.assigned'
        ? { rewardId: event.data.rewardId as string, rlRunId: event.data.rlRunId as string }
        : undefined;
    return { key: event.subject, value: JSON.stringify(event), id: event.id, reward };
  }

  private datasetVersionRecords(): SoakRecord[] {
    const datasetId = `${this.tag}-sft`;
    const version = ++this.datasetVersion;
    const memberIds = [...this.trajectories];
    const added = datasetMembersAddedEvent({
      datasetId,
      version,
      memberKind: 'trajectory',
      memberIds,
    });
    const sealed = datasetSealedEvent({ datasetId, version, memberIds });
    return [
      { key: added.subject, value: JSON.stringify(added), id: added.id },
      {
        key: sealed.subject,
        value: JSON.stringify(sealed),
        id: sealed.id,
        sealed: { datasetId, version },
      },
    ];
  }

  private poison(): SoakRecord {
    const kind = POISON_KINDS[this.poisoned++ % POISON_KINDS.length];
    const marker = randomUUID();
    const key = `poison:${marker}`;
    switch (kind) {
      case 'not-json':
        // Cut short after a value of fixed length: the parser's message is the same every time.
        return { key, value: `{"id":"${marker}","type":"reward.assigned"`, poison: kind };
      case 'unknown-type':
        return {
          key,
          value: JSON.stringify({
            specversion: '1.0',
            id: marker,
            source: 'bench/soak',
            type: 'soak.poison',
            subject: key,
            time: new Date().toISOString(),
            datacontenttype: 'application/json',
            data: {},
          }),
          poison: kind,
        };
      case 'invalid-data': {
        const event = rewardAssignedEvent({ rlRunId: `${this.tag}-poison` }, { id: marker });
        (event.data as { value: unknown }).value = 'high';
        return { key: event.subject, value: JSON.stringify(event), poison: kind };
      }
    }
  }
}

/** What the log has accepted: the oracle the projection and the subscribers are compared with. */
export class AcceptedLoad {
  readonly ids = new Set<string>();
  readonly poison = new Map<PoisonKind, number>(POISON_KINDS.map((kind) => [kind, 0]));
  /** Accepted reward ids of the runs subscribers watch. */
  readonly rewardsOfWatchedRuns = new Map<string, Set<string>>();
  lastRewardId: string | undefined;
  lastSealed: { datasetId: string; version: number } | undefined;

  constructor(watchedRuns: readonly string[]) {
    for (const run of watchedRuns) this.rewardsOfWatchedRuns.set(run, new Set());
  }

  get poisonCount(): number {
    return [...this.poison.values()].reduce((sum, count) => sum + count, 0);
  }

  /** Records what an append that succeeded carried (a retried record counts once). */
  accept(records: readonly SoakRecord[]): void {
    for (const record of records) {
      if (record.poison) {
        this.poison.set(record.poison, this.poison.get(record.poison)! + 1);
        continue;
      }
      if (!record.id || this.ids.has(record.id)) continue;
      this.ids.add(record.id);
      if (record.reward) {
        this.lastRewardId = record.reward.rewardId;
        this.rewardsOfWatchedRuns.get(record.reward.rlRunId)?.add(record.reward.rewardId);
      }
      if (record.sealed) this.lastSealed = record.sealed;
    }
  }
}

export interface LoadOptions {
  /** Messages per second offered, poison included. */
  readonly rate: number;
  /** Share of the event appends sent through the API's POST /v1/events (the rest: Kafka). */
  readonly httpShare: number;
  readonly producer: EventLogProducer;
  readonly apiUrl: string;
  readonly mix: SoakMix;
  readonly accepted: AcceptedLoad;
}

/** The producing side of the soak, running in the background until `stop()`. */
export interface Load {
  readonly generated: number;
  readonly viaKafka: number;
  readonly viaHttp: number;
  /** Kafka appends that failed with LogUnavailableError and were sent again. */
  readonly failedAppends: number;
  /** HTTP ingest requests that failed (503, or the API unreachable) and were sent again. */
  readonly failedRequests: number;
  /** Why the last failed HTTP ingest request failed. */
  readonly lastHttpFailure: string | undefined;
  /** Events the HTTP ingest refused (must stay 0: every event sent that way is valid). */
  readonly refused: string[];
  /**
   * Stops after the append in flight has succeeded (`abandon`: or failed once more, for a
   * cleanup); rethrows what the loop failed with.
   */
  stop(abandon?: boolean): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const APPEND_MAX = 1_000;

/**
 * Offers `rate` messages a second on a fixed schedule (open loop: what an outage holds back
 * is sent when the log is back), in appends of at most 1,000 records. An append that fails is
 * sent again with the same records, like a retrying producer; only appends that succeeded
 * are accepted. Poison goes straight to Kafka (the HTTP ingest would refuse it up front).
 */
export function startLoad(options: LoadOptions): Load {
  const state = {
    generated: 0,
    viaKafka: 0,
    viaHttp: 0,
    failedAppends: 0,
    failedRequests: 0,
    refused: [] as string[],
    lastHttpFailure: undefined as string | undefined,
    stopped: false,
    abandoned: false,
  };
  const httpEvery = options.httpShare > 0 ? Math.max(1, Math.round(1 / options.httpShare)) : 0;
  let appends = 0;

  const viaKafka = async (records: SoakRecord[]) => {
    for (;;) {
      try {
        await options.producer.append(records);
        break;
      } catch (error) {
        if (!(error instanceof LogUnavailableError) || state.abandoned) throw error;
        state.failedAppends++;
        await sleep(200);
      }
    }
    options.accepted.accept(records);
    state.viaKafka += records.length;
  };
  const viaHttp = async (records: SoakRecord[]) => {
    const body = `[${records.map((record) => record.value).join(',')}]`;
    for (;;) {
      const response = await fetch(`${options.apiUrl}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(60_000),
      }).catch(() => undefined);
      if (response?.status === 200) {
        const answer = (await response.json()) as { rejected: { reason?: string }[] };
        state.refused.push(...answer.rejected.map((rejection) => JSON.stringify(rejection)));
        break;
      }
      state.lastHttpFailure = response
        ? `${response.status} ${(await response.text()).slice(0, 300)}`
        : 'no answer';
      state.failedRequests++;
      if (state.abandoned) throw new Error(`POST /v1/events failed: ${state.lastHttpFailure}`);
      await sleep(200);
    }
    options.accepted.accept(records);
    state.viaHttp += records.length;
  };

  const loop = (async () => {
    const started = Date.now();
    while (!state.stopped) {
      const due = Math.floor(((Date.now() - started) / 1000) * options.rate);
      if (due <= state.generated) {
        await sleep(10);
        continue;
      }
      const records: SoakRecord[] = [];
      for (; state.generated < due && records.length < APPEND_MAX; state.generated++) {
        records.push(options.mix.next());
      }
      appends++;
      if (httpEvery > 0 && appends % httpEvery === 0) {
        const poison = records.filter((record) => record.poison);
        if (poison.length > 0) await viaKafka(poison);
        const events = records.filter((record) => !record.poison);
        if (events.length > 0) await viaHttp(events);
      } else {
        await viaKafka(records);
      }
    }
  })();
  loop.catch(() => undefined); // observed by stop()

  return {
    get generated() {
      return state.generated;
    },
    get viaKafka() {
      return state.viaKafka;
    },
    get viaHttp() {
      return state.viaHttp;
    },
    get failedAppends() {
      return state.failedAppends;
    },
    get failedRequests() {
      return state.failedRequests;
    },
    get lastHttpFailure() {
      return state.lastHttpFailure;
    },
    get refused() {
      return state.refused;
    },
    async stop(abandon = false) {
      state.stopped = true;
      state.abandoned ||= abandon;
      await loop;
    },
  };
}
