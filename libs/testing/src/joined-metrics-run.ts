import {
  criticComparedEvent,
  freshId,
  rewardAssignedEvent,
  rolloutCompletedEvent,
  toolRegisteredEvent,
  trajectoryRecordedEvent,
  type WireEvent,
} from './event-builders';
import type { EventType } from '@tracker/events';

/** A wire event of any one type (a union, unlike WireEvent<EventType>). */
export type AnyWireEvent = { [Type in EventType]: WireEvent<Type> }[EventType];

// A generated slice of a K2-style pipeline for the metrics that join several events (prompt
// groups, critic agreement, synthesis funnels), seeded so that a failure can be replayed. Its
// events come shuffled, so rewards precede their rollouts and comparisons their rewards, with
// redeliveries (the same event id again) and reused entity ids (first wins) mixed in.

/** A small deterministic generator (mulberry32): the same seed, the same run shape. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface JoinedMetricsRun {
  /** Two RL runs; the second is shorter. */
  readonly rlRunIds: readonly [string, string];
  readonly synthesisRunId: string;
  readonly criticVersionIds: readonly string[];
  /** Every event to send, shuffled, redeliveries included. */
  readonly events: AnyWireEvent[];
}

export interface JoinedMetricsRunShape {
  readonly steps: number;
  readonly groupsPerStep: number;
  readonly trajectories: number;
}

const DOMAINS = ['math', 'coding', 'logic'];
const RUBRICS = ['core.clarity_relevance', 'prescriptive.no_initial_praise', 'human.tone'];

export function joinedMetricsRun(
  seed: number,
  shape: JoinedMetricsRunShape = { steps: 8, groupsPerStep: 4, trajectories: 24 },
): JoinedMetricsRun {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  const rlRunIds = [freshId('rl'), freshId('rl')] as const;
  const criticVersionIds = [freshId('critic'), freshId('critic')];
  const events: AnyWireEvent[] = [];
  const allRollouts: string[] = [];

  for (const [runIndex, rlRunId] of rlRunIds.entries()) {
    const steps = runIndex === 0 ? shape.steps : Math.max(1, Math.floor(shape.steps / 3));
    for (let step = 0; step < steps; step++) {
      for (let g = 0; g < shape.groupsPerStep; g++) {
        const groupId = freshId('group');
        const domain = pick(DOMAINS);
        const size = pick([1, 2, 3, 4, 4, 6]);
        const passRate = pick([0, 1, 0.5, 0.25]);
        const members: string[] = [];
        for (let k = 0; k < size; k++) {
          const rolloutId = freshId('rollout');
          members.push(rolloutId);
          allRollouts.push(rolloutId);
          // Now and then a sample lands a step later (partial rollouts) or has no group.
          const rolloutStep = k === size - 1 && chance(0.15) ? step + 1 : step;
          const rollout = rolloutCompletedEvent({
            rolloutId,
            rlRunId,
            step: rolloutStep,
            groupId: chance(0.05) ? undefined : groupId,
            gym: { template: 'gym', domain },
          });
          if (!chance(0.05)) events.push(rollout); // else: rewards for a rollout never recorded
          if (chance(0.05)) {
            // The same rollout id again, other group and step: the first one journaled wins.
            events.push(
              rolloutCompletedEvent({
                rolloutId,
                rlRunId,
                step: step + 2,
                groupId: freshId('group'),
              }),
            );
          }
          const verifiable = (value: number) =>
            rewardAssignedEvent({ rolloutId, rlRunId, step, kind: 'verifiable', domain, value });
          if (!chance(0.1)) events.push(verifiable(chance(passRate) ? 1 : 0));
          if (chance(0.12)) events.push(verifiable(chance(0.5) ? 1 : 0)); // a second verifier
          if (chance(0.3)) {
            events.push(
              rewardAssignedEvent({
                rolloutId,
                rlRunId,
                step,
                kind: 'self_critic',
                domain,
                value: pick([0, 0.25, 0.5, 0.75, 1]),
                verifier: undefined,
                criticVersionId: pick(criticVersionIds),
              }),
            );
          }
        }
        if (size < 2) continue;
        for (let c = 0, comparisons = pick([0, 1, 2, 2]); c < comparisons; c++) {
          const first = pick(members);
          // Mostly within the group; sometimes against a rollout of another group or domain.
          const candidates = chance(0.15) ? allRollouts : members;
          const second = pick(candidates.filter((id) => id !== first));
          const rubricIds = RUBRICS.filter(() => chance(0.5));
          if (chance(0.1)) rubricIds.push(rubricIds[0] ?? RUBRICS[0]); // a rubric named twice
          events.push(
            criticComparedEvent({
              rlRunId,
              step,
              criticVersionId: pick(criticVersionIds),
              rolloutIds: [first, second],
              preferredRolloutId: chance(0.5) ? first : second,
              rubricIds,
            }),
          );
        }
      }
    }
  }
  // Comparisons of rollouts without a verifiable reward, and of rollouts never recorded.
  events.push(
    criticComparedEvent({
      rlRunId: rlRunIds[0],
      step: 0,
      criticVersionId: criticVersionIds[0],
      rolloutIds: [freshId('rollout'), allRollouts[0]],
    }),
  );

  // Synthesis: tasks with trajectories calling tools, some registered, some never.
  const synthesisRunId = freshId('synthesis');
  const tasks = Array.from({ length: 6 }, () => freshId('task'));
  const tools = Array.from({ length: 8 }, () => freshId('tool'));
  for (const toolId of tools.slice(0, 5)) events.push(toolRegisteredEvent({ toolId }));
  events.push(toolRegisteredEvent({ toolId: tools[0], name: 'registered_again' }));
  const trajectory = (trajectoryId: string) =>
    trajectoryRecordedEvent({
      trajectoryId,
      synthesisRunId,
      taskId: pick(tasks),
      judgement: { passed: chance(0.6) },
      turns: [
        { role: 'user', content: 'Plan a trip.' },
        ...Array.from({ length: pick([0, 1, 2]) }, () => ({
          role: 'assistant' as const,
          content: null,
          toolCalls: tools
            .filter(() => chance(0.25))
            .map((toolId) => ({ toolId, arguments: { to: 'LIM' } })),
        })),
        { role: 'assistant', content: 'Done.' },
      ],
    });
  for (let t = 0; t < shape.trajectories; t++) {
    const trajectoryId = freshId('trajectory');
    events.push(trajectory(trajectoryId));
    if (chance(0.1)) events.push(trajectory(trajectoryId)); // recorded again: the first wins
  }

  // Redeliveries: the same event (same id) again.
  const redelivered = events.filter(() => chance(0.06));
  events.push(...redelivered);
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [events[i], events[j]] = [events[j], events[i]];
  }
  // A group (of a domain of its own) first seen at a later step than its other sample's: it
  // moves to the earlier step when that sample arrives, leaving its first step without groups.
  const movingGroup = freshId('group');
  const [late, early] = [5, 1].map((step) => {
    const rollout = rolloutCompletedEvent({
      rlRunId: rlRunIds[1],
      step,
      groupId: movingGroup,
      gym: { domain: 'faithfulness' },
    });
    return [
      rollout,
      rewardAssignedEvent({
        rolloutId: rollout.data.rolloutId,
        rlRunId: rlRunIds[1],
        step,
        kind: 'verifiable',
        domain: 'faithfulness',
        value: 1,
      }),
    ];
  });
  events.unshift(...late);
  events.push(...early);
  return { rlRunIds, synthesisRunId, criticVersionIds, events };
}
