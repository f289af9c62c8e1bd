import { decodeEvent, type DecodeResult, type TrackerEvent } from '@tracker/events';
import type { ConsumedBatch, ConsumedMessage } from '@tracker/log';
import {
  applyEvents,
  claimedProjects,
  claimedVia,
  needsSettling,
  settleAfterTurn,
  type Sql,
} from '@tracker/read-model';
import { lockConsumerOffsets, storeConsumerOffsets } from './consumer-offsets.sql';
import { isDataError } from './data-error';
import { recordDeadLetters, type DeadLetter } from './dead-letters.sql';
import {
  appendToJournal,
  awaitJournalTurn,
  reserveJournal,
  type JournalReservation,
  type LogPlace,
} from './journal.sql';

export interface BatchOutcome {
  /** Messages at or below the stored offset: already applied, skipped. */
  readonly skipped: number;
  readonly projected: number;
  /** Valid events whose id the journal already had. */
  readonly duplicates: number;
  readonly deadLettered: number;
  /** Highest journal position after the batch, if it projected anything. */
  readonly lastPosition?: string;
}

interface Candidate {
  readonly event: TrackerEvent;
  readonly place: LogPlace;
  readonly raw: Buffer | null;
}

/** A message, possibly decoded ahead of its transaction (null: it has no value). */
export type MessageToProject = ConsumedMessage & { readonly decoded?: DecodeResult | null };

/** What the projector needs of a consumed batch. */
export interface BatchToProject extends Pick<
  ConsumedBatch,
  'topic' | 'partition' | 'highWatermark'
> {
  readonly messages: readonly MessageToProject[];
}

const decode = (message: ConsumedMessage): DecodeResult | null =>
  message.value === null ? null : decodeEvent(message.value);

/**
 * Decodes a batch's messages outside any transaction, so that this CPU work overlaps with
 * the database work of the batch being committed before it.
 */
export function decodeBatch<Batch extends BatchToProject>(batch: Batch): Batch {
  return {
    ...batch,
    messages: batch.messages.map((message) => ({ ...message, decoded: decode(message) })),
  };
}

export interface ProjectOptions {
  /** Bulk writes by COPY (real Postgres); PGlite's socket cannot carry it. See appendToJournal. */
  readonly copy: boolean;
  /** PROJECTOR_ALLOWED_PROJECTS: events of other projects are dead-lettered; null: any. */
  readonly allowedProjects?: readonly string[] | null;
}

/** Applies one consumed batch; see {@link projectBatches}. */
export function projectBatch(
  sql: Sql,
  groupId: string,
  batch: BatchToProject,
  options: ProjectOptions,
): Promise<BatchOutcome> {
  return projectBatches(sql, groupId, [batch], options);
}

/**
 * Applies consumed batches (of distinct partitions) inside the caller's transaction: skip
 * what each partition's stored offset says is done, decode, dead-letter what is invalid,
 * journal (deduplicating by event id), project, store the offsets, and notify listeners of the
 * new journal position. Nothing is visible until the caller commits, so a crash at any point
 * leaves all of it undone.
 */
export async function projectBatches(
  sql: Sql,
  groupId: string,
  batches: readonly BatchToProject[],
  options: ProjectOptions,
): Promise<BatchOutcome> {
  // One batch per partition (consecutive batches of a partition are joined, in offset order),
  // in a fixed order: two projectors sharing a partition during a rebalance lock offset rows
  // in the same order and cannot deadlock.
  const byPartition = new Map<string, BatchToProject>();
  for (const batch of batches) {
    if (batch.messages.length === 0) continue;
    const key = `${batch.topic}\u0000${batch.partition}`;
    const earlier = byPartition.get(key);
    byPartition.set(
      key,
      earlier
        ? {
            ...batch,
            messages: [...earlier.messages, ...batch.messages],
            highWatermark:
              BigInt(batch.highWatermark) > BigInt(earlier.highWatermark)
                ? batch.highWatermark
                : earlier.highWatermark,
          }
        : batch,
    );
  }
  const ordered = [...byPartition.values()].sort((a, b) =>
    a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
  );
  const deadLetters: DeadLetter[] = [];
  const candidates: Candidate[] = [];
  const seenIds = new Set<string>();
  const offsets: Array<{ batch: BatchToProject; lastOffset: string }> = [];
  let duplicates = 0;
  let skipped = 0;
  const applied =
    ordered.length > 0
      ? await lockConsumerOffsets(sql, groupId, ordered)
      : new Map<string, bigint>();
  for (const batch of ordered) {
    const lastApplied = applied.get(`${batch.topic}:${batch.partition}`)!;
    const fresh = batch.messages.filter((message) => BigInt(message.offset) > lastApplied);
    skipped += batch.messages.length - fresh.length;
    if (fresh.length > 0) offsets.push({ batch, lastOffset: fresh[fresh.length - 1].offset });
    for (const message of fresh) {
      const place = {
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        timestamp: message.timestamp,
      };
      const decoded = message.decoded !== undefined ? message.decoded : decode(message);
      if (decoded === null) {
        deadLetters.push({
          place,
          stage: 'decode',
          reason: 'message has no value (tombstone)',
          raw: null,
        });
      } else if (!decoded.ok) {
        const { reason, eventId, type } = decoded.rejection;
        deadLetters.push({
          place,
          stage: 'decode',
          reason,
          eventId,
          eventType: type,
          raw: message.value,
        });
      } else if (seenIds.has(decoded.event.id)) {
        duplicates++;
      } else {
        seenIds.add(decoded.event.id);
        candidates.push({ event: decoded.event, place, raw: message.value });
      }
    }
  }

  if (options.allowedProjects) {
    const refused = await outsideProjects(sql, candidates, options.allowedProjects);
    for (const { candidate, reason } of refused) {
      const { event, place, raw } = candidate;
      deadLetters.push({
        place,
        stage: 'project',
        reason,
        eventId: event.id,
        eventType: event.type,
        raw,
      });
    }
    if (refused.length > 0) {
      const out = new Set(refused.map(({ candidate }) => candidate));
      candidates.splice(0, candidates.length, ...candidates.filter((c) => !out.has(c)));
    }
  }
  const projected = await projectCandidates(sql, candidates, deadLetters, options);
  duplicates += candidates.length - projected.count - projected.failed;
  await recordDeadLetters(sql, deadLetters);
  await storeConsumerOffsets(
    sql,
    groupId,
    offsets.map(({ batch, lastOffset }) => ({
      topic: batch.topic,
      partition: batch.partition,
      lastOffset,
      highWatermark: batch.highWatermark,
    })),
  );
  // Commits keep position order: wait for every transaction with an earlier ticket to end.
  if (projected.reservation) {
    await awaitJournalTurn(sql, projected.reservation);
    // After the turn: sees every earlier transaction's rows (see settleAfterTurn).
    const types = new Set(candidates.map(({ event }) => event.type));
    if (projected.count > 0 && needsSettling(types)) {
      const first = projected.reservation.firstPosition;
      await settleAfterTurn(
        sql,
        { first: String(first), last: String(first + BigInt(candidates.length) - 1n) },
        types,
      );
    }
  }
  if (projected.lastPosition) {
    // Delivered on commit only; carries a position, readers take the rows from the journal.
    await sql.query(`SELECT pg_notify('tracker_journal', $1)`, [projected.lastPosition]);
  }
  return {
    skipped,
    projected: projected.count,
    duplicates,
    deadLettered: deadLetters.length,
    lastPosition: projected.lastPosition,
  };
}

/**
 * Candidates writing into a project the topic's producers may not write (Kafka's ACLs let them
 * write the topic, not choose projects): runs started in another project, and events of runs
 * known, or started in this batch, to be of one. Events of runs not started yet pass (their
 * started event decides, and is refused here if it names another project).
 */
async function outsideProjects(
  sql: Sql,
  candidates: readonly Candidate[],
  allowed: readonly string[],
): Promise<{ candidate: Candidate; reason: string }[]> {
  const projects = await claimedProjects(
    sql,
    candidates.map(({ event }) => event),
  );
  return candidates.flatMap((candidate, at) => {
    const project = projects[at];
    if (typeof project !== 'string' || allowed.includes(project)) return [];
    const via = claimedVia(candidate.event);
    return [
      {
        candidate,
        reason: `project ${JSON.stringify(project)}${via ? ` (of ${via})` : ''} is not one of PROJECTOR_ALLOWED_PROJECTS (${allowed.join(', ')})`,
      },
    ];
  });
}

interface Projected {
  count: number;
  failed: number;
  lastPosition?: string;
  reservation?: JournalReservation;
}

/**
 * Journals and projects all candidates set-based. If one event's data breaks a statement, the
 * batch is redone one event at a time under savepoints and only the culprits are dead-lettered
 * (an id journaled meanwhile by another transaction breaks COPY too, and is skipped there).
 */
async function projectCandidates(
  sql: Sql,
  candidates: Candidate[],
  deadLetters: DeadLetter[],
  options: ProjectOptions,
): Promise<Projected> {
  if (candidates.length === 0) return { count: 0, failed: 0 };
  // One reservation for the whole transaction: candidate i gets firstPosition + i, in either path.
  const reservation = await reserveJournal(sql, candidates.length);
  const entries = candidates.map((candidate, index) => ({ ...candidate, index }));
  await sql.query('SAVEPOINT whole_batch');
  try {
    const journaled = await appendToJournal(sql, entries, reservation, options);
    await applyEvents(sql, journaled, options);
    await sql.query('RELEASE SAVEPOINT whole_batch');
    return {
      count: journaled.length,
      failed: 0,
      lastPosition: journaled.at(-1)?.position,
      reservation,
    };
  } catch (error) {
    if (!isDataError(error)) throw error;
    await sql.query('ROLLBACK TO SAVEPOINT whole_batch');
  }
  const result: Projected = { count: 0, failed: 0, reservation };
  for (const entry of entries) {
    const candidate = entry;
    await sql.query('SAVEPOINT one_event');
    try {
      // One by one through INSERT: its ON CONFLICT settles ids a concurrent transaction wrote.
      const journaled = await appendToJournal(sql, [entry], reservation, { copy: false });
      await applyEvents(sql, journaled, { copy: false });
      await sql.query('RELEASE SAVEPOINT one_event');
      result.count += journaled.length;
      if (journaled.length > 0) result.lastPosition = journaled[0].position;
    } catch (error) {
      if (!isDataError(error)) throw error;
      await sql.query('ROLLBACK TO SAVEPOINT one_event');
      result.failed++;
      const { event, place, raw } = candidate;
      deadLetters.push({
        place,
        stage: 'project',
        reason: `projection of ${event.type} failed: ${(error as Error).message}`,
        eventId: event.id,
        eventType: event.type,
        raw,
      });
    }
  }
  return result;
}
