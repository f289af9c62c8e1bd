import { randomUUID } from 'node:crypto';

/**
 * A realistic ingest mix for an RL-heavy pipeline: ~45% rollouts, ~45% rewards (one per
 * rollout, after it), the rest critic comparisons, trajectories, tools, checkpoints. Spread
 * over `runs` RL runs so that subjects (Kafka keys) spread over partitions.
 */
export function* eventMix(
  total: number,
  runs: number,
  tag: string,
): Generator<Record<string, unknown>> {
  const time = () => new Date().toISOString();
  const envelope = (type: string, subject: string, data: Record<string, unknown>) => ({
    specversion: '1.0',
    id: randomUUID(),
    source: 'bench/ingest',
    type,
    subject,
    time: time(),
    datacontenttype: 'application/json',
    data,
  });
  const domains = [
    'math',
    'stem',
    'logic',
    'coding',
    'instruction_following',
    'faithfulness',
    'safety',
  ];
  let produced = 0;
  let sequence = 0;
  while (produced < total) {
    sequence++;
    const rlRunId = `${tag}-run-${sequence % runs}`;
    const step = Math.floor(sequence / (runs * 16));
    const domain = domains[sequence % domains.length];
    const rolloutId = `${tag}-rollout-${sequence}`;
    const kind = sequence % 20;
    if (kind === 0) {
      yield envelope('tool.registered', `tool:${tag}-tool-${sequence}`, {
        toolId: `${tag}-tool-${sequence}`,
        name: `tool_${sequence}`,
        source: 'mcp',
        inputSchema: { type: 'object' },
      });
    } else if (kind === 1) {
      const synthesisRunId = `${tag}-synthesis-${sequence % 8}`;
      yield envelope('trajectory.recorded', `synthesis:${synthesisRunId}`, {
        trajectoryId: `${tag}-trajectory-${sequence}`,
        synthesisRunId,
        taskId: `${tag}-task-${sequence % 500}`,
        agentId: `${tag}-agent-${sequence % 50}`,
        turns: [
          { role: 'user', content: 'book a flight' },
          {
            role: 'assistant',
            content: null,
            toolCalls: [{ toolId: `${tag}-tool-${sequence % 97}`, arguments: { to: 'NRT' } }],
          },
          { role: 'assistant', content: 'done' },
        ],
        judgement: { passed: sequence % 3 !== 0, score: 0.8 },
      });
    } else if (kind === 2) {
      yield envelope('critic.compared', `rl:${rlRunId}`, {
        comparisonId: `${tag}-comparison-${sequence}`,
        rlRunId,
        step,
        criticVersionId: `${tag}-critic-1`,
        rolloutIds: [`${tag}-rollout-${sequence - 1}`, `${tag}-rollout-${sequence - 2}`],
        preferredRolloutId: `${tag}-rollout-${sequence - 1}`,
        rubricIds: ['core.clarity_relevance'],
      });
    } else {
      yield envelope('rollout.completed', `rl:${rlRunId}`, {
        rolloutId,
        rlRunId,
        step,
        taskId: `${tag}-task-${sequence % 500}`,
        groupId: `${tag}-group-${Math.floor(sequence / 8)}`,
        gym: { template: 'aime-style', domain },
        promptTokens: 400,
        responseTokens: 1000 + (sequence % 3000),
        numTurns: 1,
        finishReason: 'stop',
      });
      produced++;
      if (produced >= total) return;
      yield envelope('reward.assigned', `rl:${rlRunId}`, {
        rewardId: `${tag}-reward-${sequence}`,
        rolloutId,
        rlRunId,
        step,
        kind: 'verifiable',
        domain,
        value: sequence % 2,
        verifier: { name: `${domain}-verifier`, version: '1.3' },
      });
    }
    produced++;
  }
}
