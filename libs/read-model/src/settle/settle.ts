import type { EventType } from '@tracker/events';
import type { Sql } from '../database/sql';
import { criticAgreementSettler } from './critic-agreement.settler';
import { datasetMemberIssuesSettler } from './dataset-member-issues.settler';
import { groupStatsSettler } from './group-stats.settler';
import type { JournalRange, Settler } from './settler';
import { synthesisFunnelSettler } from './synthesis-funnel.settler';

// Some read-model rows join what two events bring, in whatever order they arrive: a dataset
// member and its trajectory, a comparison and the rewards of its rollouts. Two projector
// transactions can write the two sides at once, each blind to the other's rows, so these rows
// are settled after the transaction's journal turn (awaitJournalTurn): every transaction with
// an earlier ticket has then ended, and each statement (READ COMMITTED) sees its rows, while a
// later transaction will see ours. Of each pair, the transaction journaling the later side
// settles it, once: a settler joins the rows added in its range with rows at lower positions.

const SETTLERS: readonly Settler[] = [
  datasetMemberIssuesSettler,
  groupStatsSettler,
  criticAgreementSettler,
  synthesisFunnelSettler,
];

/** Does a batch with these event types need {@link settleAfterTurn}? */
export const needsSettling = (types: ReadonlySet<EventType>): boolean =>
  SETTLERS.some((settler) => [...types].some((type) => settler.types.has(type)));

/** Runs every settler concerned by `types` over `range`. */
export async function settleAfterTurn(
  sql: Sql,
  range: JournalRange,
  types: ReadonlySet<EventType>,
): Promise<void> {
  for (const settler of SETTLERS) {
    if ([...types].some((type) => settler.types.has(type))) await settler.settle(sql, range, types);
  }
}
