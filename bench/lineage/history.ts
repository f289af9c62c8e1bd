import {
  agentDefinedEvent,
  checkpointSavedEvent,
  datasetMembersAddedEvent,
  datasetSealedEvent,
  rewardAssignedEvent,
  rlStartedEvent,
  rolloutCompletedEvent,
  synthesisCompletedEvent,
  synthesisStartedEvent,
  taskDefinedEvent,
  toolRegisteredEvent,
  trajectoryRecordedEvent,
} from '@tracker/testing';

/** Sizes of the production-sized history the lineage bench loads. */
export interface HistorySize {
  tools: number;
  agents: number;
  tasks: number;
  trajectories: number;
  /** Members of the dataset versions, the first one the largest. */
  datasetVersions: number[];
  steps: number;
  rolloutsPerStep: number;
  /** A checkpoint every this many steps. */
  checkpointEvery: number;
}

export const PRODUCTION: HistorySize = {
  tools: 20_000,
  agents: 2_000,
  tasks: 10_000,
  trajectories: 100_000,
  datasetVersions: [50_000, 20_000, 10_000, 5_000, 1_000],
  steps: 400,
  rolloutsPerStep: 2_000,
  checkpointEvery: 10,
};

/** Ids the bench queries by, known in advance. */
/** `size` with every count times `scale` (at least 1); steps and checkpoint spacing kept. */
export function scaledHistory(size: HistorySize, scale: number): HistorySize {
  const times = (count: number) => Math.max(1, Math.round(count * scale));
  return {
    tools: times(size.tools),
    agents: times(size.agents),
    tasks: times(size.tasks),
    trajectories: times(size.trajectories),
    datasetVersions: size.datasetVersions.map((count) =>
      Math.min(times(count), times(size.trajectories)),
    ),
    steps: size.steps,
    rolloutsPerStep: times(size.rolloutsPerStep),
    checkpointEvery: size.checkpointEvery,
  };
}

export interface HistoryIds {
  tag: string;
  tool: (index: number) => string;
  dataset: string;
  rlRunId: string;
  verifier: { name: string; version: string };
  fixedVerifier: { name: string; version: string };
  reward: (step: number, index: number) => string;
  checkpoint: (step: number) => string;
}

export function historyIds(tag: string): HistoryIds {
  return {
    tag,
    tool: (index) => `${tag}-tool-${index}`,
    dataset: `${tag}-sft`,
    rlRunId: `${tag}-run`,
    verifier: { name: `${tag}-math-verify`, version: '1.0' },
    fixedVerifier: { name: `${tag}-math-verify`, version: '1.1' },
    reward: (step, index) => `${tag}-reward-${step}-${index}`,
    checkpoint: (step) => `${tag}-checkpoint-${step}`,
  };
}

/**
 * The history as events, in an order a real pipeline would produce them: catalog, synthesis,
 * datasets, then an RL run whose math verifier changes version halfway, one reward per rollout.
 */
export function* historyEvents(size: HistorySize, ids: HistoryIds): Generator<object> {
  const { tag } = ids;
  for (let index = 0; index < size.tools; index++) {
    yield toolRegisteredEvent({
      toolId: ids.tool(index),
      // One tool in ten evolved from an earlier one.
      evolvedFrom: index % 10 === 9 ? [ids.tool(index - 9)] : undefined,
    });
  }
  const agent = (index: number) => `${tag}-agent-${index}`;
  for (let index = 0; index < size.agents; index++) {
    yield agentDefinedEvent({
      agentId: agent(index),
      toolIds: [0, 1, 2, 3, 4].map((offset) => ids.tool((index * 5 + offset) % size.tools)),
    });
  }
  const task = (index: number) => `${tag}-task-${index}`;
  for (let index = 0; index < size.tasks; index++) {
    yield taskDefinedEvent({ taskId: task(index), agentId: agent(index % size.agents) });
  }
  const synthesis = (index: number) => `${tag}-synthesis-${index}`;
  for (let index = 0; index < 10; index++)
    yield synthesisStartedEvent({ synthesisRunId: synthesis(index) });
  const trajectory = (index: number) => `${tag}-trajectory-${index}`;
  for (let index = 0; index < size.trajectories; index++) {
    const taskIndex = index % size.tasks;
    const agentIndex = taskIndex % size.agents;
    yield trajectoryRecordedEvent({
      trajectoryId: trajectory(index),
      synthesisRunId: synthesis(index % 10),
      taskId: task(taskIndex),
      agentId: agent(agentIndex),
      turns: [
        { role: 'user', content: 'task' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [
            { toolId: ids.tool((agentIndex * 5) % size.tools), arguments: {} },
            { toolId: ids.tool((agentIndex * 5 + 1) % size.tools), arguments: {} },
          ],
        },
      ],
      judgement: { passed: index % 20 !== 0, score: 0.8 },
    });
  }
  for (let index = 0; index < 10; index++) {
    yield synthesisCompletedEvent({ synthesisRunId: synthesis(index), status: 'succeeded' });
  }
  for (let version = 1; version <= size.datasetVersions.length; version++) {
    const memberIds = Array.from({ length: size.datasetVersions[version - 1] }, (_, index) =>
      trajectory(index),
    );
    for (let start = 0; start < memberIds.length; start += 1_000) {
      yield datasetMembersAddedEvent({
        datasetId: ids.dataset,
        version,
        memberKind: 'trajectory',
        memberIds: memberIds.slice(start, start + 1_000),
      });
    }
    yield datasetSealedEvent({ datasetId: ids.dataset, version, memberIds });
  }
  yield rlStartedEvent({
    rlRunId: ids.rlRunId,
    policy: { model: 'k2-sft', baseCheckpointId: `${tag}-base` },
    datasets: [{ datasetId: ids.dataset, version: 1 }],
  });
  for (let step = 1; step <= size.steps; step++) {
    const policy = ids.checkpoint(
      Math.max(0, Math.floor((step - 1) / size.checkpointEvery) * size.checkpointEvery),
    );
    const verifier = step <= size.steps / 2 ? ids.verifier : ids.fixedVerifier;
    for (let index = 0; index < size.rolloutsPerStep; index++) {
      const rolloutId = `${tag}-rollout-${step}-${index}`;
      yield rolloutCompletedEvent({
        rolloutId,
        rlRunId: ids.rlRunId,
        step,
        taskId: task((step * size.rolloutsPerStep + index) % size.tasks),
        groupId: `${tag}-group-${step}-${Math.floor(index / 16)}`,
        policyCheckpointId: step > size.checkpointEvery ? policy : undefined,
      });
      yield rewardAssignedEvent({
        rewardId: ids.reward(step, index),
        rolloutId,
        rlRunId: ids.rlRunId,
        step,
        value: index % 3 === 0 ? 0 : 1,
        verifier,
      });
    }
    if (step % size.checkpointEvery === 0) {
      yield checkpointSavedEvent({
        checkpointId: ids.checkpoint(step),
        rlRunId: ids.rlRunId,
        step,
        parentCheckpointId:
          step > size.checkpointEvery ? ids.checkpoint(step - size.checkpointEvery) : `${tag}-base`,
      });
    }
  }
}

/** How many events {@link historyEvents} yields. */
export function historyEventCount(size: HistorySize): number {
  const members = size.datasetVersions.reduce(
    (sum, count) => sum + Math.ceil(count / 1_000) + 1,
    0,
  );
  return (
    size.tools +
    size.agents +
    size.tasks +
    20 +
    size.trajectories +
    members +
    1 +
    size.steps * size.rolloutsPerStep * 2 +
    Math.floor(size.steps / size.checkpointEvery)
  );
}
