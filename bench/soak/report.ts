import { percentile } from '../timing';
import type { FaultRecord } from './fault-schedule';
import type { QueryKind, QueryTiming } from './queries';
import { QUERY_KINDS } from './queries';
import type { Delivery } from './subscribers';

/** One report interval: what the soak printed as a line, kept for the table at the end. */
export interface Interval {
  readonly elapsedMs: number;
  readonly accepted: number;
  readonly projected: number;
  readonly queries: number;
  readonly queryErrors: number;
  readonly queryP50: number;
  readonly queryP99: number;
  readonly queryP99ByKind: Record<QueryKind, number>;
  readonly deliveries: number;
  readonly deliveryP99: number;
  readonly rss: Record<string, number>;
  readonly faults: readonly string[];
}

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

export const clock = (ms: number) => {
  const seconds = Math.floor(ms / 1000);
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
};
export const fixed = (value: number, digits = 0) =>
  Number.isNaN(value) ? '-' : value.toFixed(digits);

/** Gathers the timings of an interval and turns them into an {@link Interval}. */
export class IntervalCollector {
  private queries: QueryTiming[] = [];
  private deliveries: Delivery[] = [];
  private faults: string[] = [];

  addQuery(timing: QueryTiming): void {
    this.queries.push(timing);
  }

  addDelivery(delivery: Delivery): void {
    this.deliveries.push(delivery);
  }

  addFault(fault: FaultRecord): void {
    this.faults.push(`${fault.name} @${clock(fault.startedAt)}`);
  }

  /** The interval so far, and a fresh start for the next one. */
  close(
    elapsedMs: number,
    accepted: number,
    projected: number,
    rss: Record<string, number>,
  ): Interval {
    const queries = this.queries;
    const deliveries = this.deliveries;
    const faults = this.faults;
    [this.queries, this.deliveries, this.faults] = [[], [], []];
    const times = sorted(queries.map((query) => query.ms));
    const byKind = Object.fromEntries(
      QUERY_KINDS.map((kind) => [
        kind,
        percentile(
          sorted(queries.filter((query) => query.kind === kind).map((query) => query.ms)),
          99,
        ),
      ]),
    ) as Record<QueryKind, number>;
    const delivered = sorted(deliveries.map((delivery) => delivery.ms));
    return {
      elapsedMs,
      accepted,
      projected,
      queries: queries.length,
      queryErrors: queries.filter((query) => query.error).length,
      queryP50: percentile(times, 50),
      queryP99: percentile(times, 99),
      queryP99ByKind: byKind,
      deliveries: deliveries.length,
      deliveryP99: percentile(delivered, 99),
      rss,
      faults,
    };
  }
}

/** The line printed every report interval. */
export function intervalLine(interval: Interval): string {
  const rss = Object.entries(interval.rss)
    .map(([role, mib]) => `${role} ${fixed(mib)}`)
    .join(' ');
  return [
    `  ${clock(interval.elapsedMs)}`,
    `accepted ${interval.accepted}`,
    `projected ${interval.projected}`,
    `lag ${interval.accepted - interval.projected}`,
    `query p50 ${fixed(interval.queryP50, 1)} p99 ${fixed(interval.queryP99, 1)} ms (${interval.queries}, ${interval.queryErrors} errors)`,
    `delivery p99 ${fixed(interval.deliveryP99)} ms (${interval.deliveries})`,
    `rss MiB: ${rss}`,
  ].join('  ');
}

/** The p99 latencies over time, one row per interval, with the faults injected in each. */
export function latencyTable(intervals: readonly Interval[]): string[] {
  const header = `  ${'time'.padEnd(6)}${'lineage'.padStart(10)}${'series'.padStart(10)}${'audit'.padStart(10)}${'all p99'.padStart(10)}${'errors'.padStart(8)}${'delivery'.padStart(10)}${'lag'.padStart(8)}  faults`;
  const rows = intervals.map(
    (interval) =>
      `  ${clock(interval.elapsedMs).padEnd(6)}${fixed(interval.queryP99ByKind.lineage, 1).padStart(10)}${fixed(interval.queryP99ByKind.rewardSeries, 1).padStart(10)}${fixed(interval.queryP99ByKind.datasetAudit, 1).padStart(10)}${fixed(interval.queryP99, 1).padStart(10)}${String(interval.queryErrors).padStart(8)}${fixed(interval.deliveryP99).padStart(10)}${String(interval.accepted - interval.projected).padStart(8)}  ${interval.faults.join(', ')}`,
  );
  return [
    '  p99 latencies over time (ms; queries by kind, then subscription delivery: event made -> pushed; the last row runs to the end of the checks)',
    header,
    ...rows,
  ];
}
