import { datasetContentHash } from '@tracker/events';

/**
 * A simulated Kimi-K2-style post-training pipeline as CloudEvents: tool synthesis (MCP and
 * evolved tools, agents, tasks with rubrics, judged trajectories, a sealed SFT dataset), then
 * an RL run (rollouts in every gym domain, verifiable and self-critic rewards, critic
 * comparisons and updates, checkpoints, evaluations). Deterministic for a given seed.
 */
export interface PipelineOptions {
  /** Prefix of every id, so several demos can share one tracker. */
  runTag: string;
  seed: number;
  tools: number;
  agents: number;
  tasks: number;
  trajectories: number;
  steps: number;
  /** Prompts per step; each has `samplesPerPrompt` rollouts (a group). */
  promptsPerStep: number;
  samplesPerPrompt: number;
  /** Producer time of the first event; later events are spaced by 10 ms. */
  startTime?: Date;
}

export const DEMO_SIZES: Record<
  'small' | 'medium' | 'large',
  Omit<PipelineOptions, 'runTag' | 'seed'>
> = {
  small: {
    tools: 40,
    agents: 12,
    tasks: 60,
    trajectories: 120,
    steps: 40,
    promptsPerStep: 8,
    samplesPerPrompt: 4,
  },
  medium: {
    tools: 200,
    agents: 50,
    tasks: 300,
    trajectories: 800,
    steps: 200,
    promptsPerStep: 16,
    samplesPerPrompt: 8,
  },
  large: {
    tools: 2000,
    agents: 400,
    tasks: 3000,
    trajectories: 10000,
    steps: 400,
    promptsPerStep: 32,
    samplesPerPrompt: 8,
  },
};

const VERIFIABLE_DOMAINS = [
  'math',
  'stem',
  'logic',
  'instruction_following',
  'faithfulness',
  'coding',
  'safety',
];
const CRITIC_DOMAINS = ['creative_writing', 'open_qa'];
const TEMPLATES: Record<string, string[]> = {
  math: ['aime-style', 'gsm-hard'],
  stem: ['physics-mcq', 'chem-calc'],
  logic: ['24-game', 'sudoku', 'cryptarithm'],
  instruction_following: ['format-constraints', 'multi-constraint'],
  faithfulness: ['grounded-summary'],
  coding: ['unit-tests', 'swe-patch'],
  safety: ['red-team-attack'],
  creative_writing: ['short-story', 'poem'],
  open_qa: ['explain-concept'],
};
const RUBRICS = [
  'core.clarity_relevance',
  'core.conversational_fluency',
  'core.objective_interaction',
  'prescriptive.no_initial_praise',
  'prescriptive.no_explicit_justification',
];
const FINISH_REASONS = [
  'stop',
  'stop',
  'stop',
  'stop',
  'stop',
  'length',
  'repeat',
  'budget',
  'tool_error',
] as const;

/** mulberry32: small, fast, good enough for simulation. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
}

/** Exact number of events the pipeline yields (it is cheap to generate twice). */
export function pipelineSize(options: PipelineOptions): number {
  let count = 0;
  for (const _event of k2Pipeline(options)) count++;
  return count;
}

export function* k2Pipeline(options: PipelineOptions): Generator<DemoEvent> {
  const rand = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const tag = options.runTag;
  let clock = (options.startTime ?? new Date()).getTime();
  let sequence = 0;
  const event = (
    type: string,
    subject: string,
    source: string,
    data: Record<string, unknown>,
  ): DemoEvent => {
    clock += 10;
    sequence++;
    return {
      specversion: '1.0',
      id: `${tag}-${sequence}`,
      source,
      type,
      subject,
      time: new Date(clock).toISOString(),
      datacontenttype: 'application/json',
      data,
    };
  };

  // Tool repository: half from MCP servers, half evolved from them.
  const toolIds: string[] = [];
  for (let index = 0; index < options.tools; index++) {
    const toolId = `${tag}-tool-${index}`;
    const synthetic = index >= options.tools / 2 && toolIds.length > 0;
    const domain = pick([...VERIFIABLE_DOMAINS, 'travel', 'finance', 'calendar']);
    yield event('tool.registered', `tool:${toolId}`, 'synthesis/tool-repository', {
      toolId,
      name: `${domain}_tool_${index}`,
      description: `A ${synthetic ? 'synthetic' : 'real'} ${domain} tool`,
      source: synthetic ? 'synthetic' : 'mcp',
      ...(synthetic
        ? { evolvedFrom: [pick(toolIds)] }
        : { origin: `mcp://${domain}-server-${index % 7}` }),
      domain,
      inputSchema: {
        type: 'object',
        properties: { query: { type: 'string' } },
        required: ['query'],
      },
    });
    toolIds.push(toolId);
  }

  const synthesisRunId = `${tag}-synthesis`;
  yield event('synthesis.started', `synthesis:${synthesisRunId}`, 'synthesis/driver', {
    synthesisRunId,
    project: 'k2-demo',
    name: 'tool-use synthesis',
    generator: { model: 'k2-base-sim' },
    config: { turnsPerTrajectory: 4 },
  });

  const agents: Array<{ agentId: string; toolIds: string[] }> = [];
  for (let index = 0; index < options.agents; index++) {
    const agentId = `${tag}-agent-${index}`;
    const tools = [
      ...new Set(Array.from({ length: 3 + Math.floor(rand() * 3) }, () => pick(toolIds))),
    ];
    agents.push({ agentId, toolIds: tools });
    yield event('agent.defined', `agent:${agentId}`, 'synthesis/agent-factory', {
      agentId,
      systemPrompt: `You are agent ${index}; use your tools to help the user.`,
      toolIds: tools,
      synthesisRunId,
    });
  }

  const tasks: Array<{ taskId: string; agent: (typeof agents)[number]; domain: string }> = [];
  for (let index = 0; index < options.tasks; index++) {
    const taskId = `${tag}-task-${index}`;
    const agent = pick(agents);
    const domain = pick([...VERIFIABLE_DOMAINS, ...CRITIC_DOMAINS]);
    tasks.push({ taskId, agent, domain });
    yield event('task.defined', `task:${taskId}`, 'synthesis/task-factory', {
      taskId,
      agentId: agent.agentId,
      prompt: `Task ${index} in ${domain}`,
      rubric: {
        criteria: [
          { id: 'goal', description: 'achieves the user goal' },
          { id: 'tools', description: 'uses tools correctly' },
        ],
      },
      domain,
      difficulty: Math.round(rand() * 10) / 10,
    });
  }

  const passedTrajectories: string[] = [];
  for (let index = 0; index < options.trajectories; index++) {
    const trajectoryId = `${tag}-trajectory-${index}`;
    const task = pick(tasks);
    const passed = rand() < 0.7;
    if (passed) passedTrajectories.push(trajectoryId);
    const called = pick(task.agent.toolIds);
    yield event('trajectory.recorded', `synthesis:${synthesisRunId}`, 'synthesis/simulator', {
      trajectoryId,
      synthesisRunId,
      taskId: task.taskId,
      agentId: task.agent.agentId,
      turns: [
        { role: 'user', content: 'Please help me with this.' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ toolId: called, arguments: { query: 'x' }, result: { ok: true } }],
        },
        { role: 'tool', content: '{"ok":true}' },
        { role: 'assistant', content: 'Done.' },
      ],
      judgement: {
        passed,
        score: passed ? 0.7 + rand() * 0.3 : rand() * 0.5,
        criteria: [
          { id: 'goal', passed },
          { id: 'tools', passed: passed || rand() < 0.5 },
        ],
        judge: { model: 'k2-judge-sim' },
      },
    });
  }
  yield event('synthesis.completed', `synthesis:${synthesisRunId}`, 'synthesis/driver', {
    synthesisRunId,
    status: 'succeeded',
  });

  // SFT dataset: the passed trajectories, sealed with their content hash.
  const sftDataset = `${tag}-sft-core`;
  yield* datasetEvents(event, sftDataset, 'trajectory', passedTrajectories, 'sft');
  const rlDataset = `${tag}-rl-prompts`;
  yield* datasetEvents(
    event,
    rlDataset,
    'task',
    tasks.map((task) => task.taskId),
    'rl',
  );

  // RL run.
  const rlRunId = `${tag}-rl`;
  const runSubject = `rl:${rlRunId}`;
  const trainer = 'rl-trainer/node-0';
  yield event('rl.started', runSubject, trainer, {
    rlRunId,
    project: 'k2-demo',
    name: 'k2-mini agentic RL',
    policy: { model: 'k2-mini-sft', baseCheckpointId: `${tag}-sft-final` },
    datasets: [
      { datasetId: sftDataset, version: 1 },
      { datasetId: rlDataset, version: 1 },
    ],
    criticVersionId: `${tag}-critic-0`,
    config: { lr: 1e-6, samplesPerPrompt: options.samplesPerPrompt, maxResponseTokens: 8192 },
  });
  yield event('critic.updated', runSubject, trainer, {
    criticVersionId: `${tag}-critic-0`,
    rlRunId,
    step: 0,
    rolloutCount: 0,
    agreement: [],
  });

  let checkpointId = `${tag}-sft-final`;
  let criticVersion = 0;
  const halfway = Math.floor(options.steps / 2);
  for (let step = 1; step <= options.steps; step++) {
    const progress = step / options.steps;
    for (let prompt = 0; prompt < options.promptsPerStep; prompt++) {
      const task = pick(tasks);
      const domain = task.domain;
      const groupId = `${tag}-group-${step}-${prompt}`;
      const groupRollouts: string[] = [];
      for (let sample = 0; sample < options.samplesPerPrompt; sample++) {
        const rolloutId = `${tag}-rollout-${step}-${prompt}-${sample}`;
        groupRollouts.push(rolloutId);
        const finishReason = pick(FINISH_REASONS);
        yield event('rollout.completed', runSubject, trainer, {
          rolloutId,
          rlRunId,
          step,
          taskId: task.taskId,
          groupId,
          policyCheckpointId: checkpointId,
          gym: { template: pick(TEMPLATES[domain] ?? ['generic']), domain },
          promptTokens: 200 + Math.floor(rand() * 800),
          responseTokens: finishReason === 'length' ? 8192 : 300 + Math.floor(rand() * 4000),
          numTurns: 1 + Math.floor(rand() * 4),
          numToolCalls: Math.floor(rand() * 5),
          finishReason,
        });
        const verifiable = VERIFIABLE_DOMAINS.includes(domain);
        // The pass rate climbs as training goes on; the math verifier is upgraded halfway.
        const value = verifiable
          ? rand() < 0.3 + 0.5 * progress
            ? 1
            : 0
          : Math.round((0.2 + 0.6 * progress + (rand() - 0.5) * 0.4) * 1000) / 1000;
        yield event(
          'reward.assigned',
          runSubject,
          `reward-service/${verifiable ? 'verifier' : 'critic'}`,
          {
            rewardId: `${tag}-reward-${step}-${prompt}-${sample}`,
            rolloutId,
            rlRunId,
            step,
            kind: verifiable ? 'verifiable' : 'self_critic',
            domain,
            value,
            ...(verifiable
              ? {
                  verifier: {
                    name: `${domain}-verifier`,
                    version: domain === 'math' && step > halfway ? '1.4' : '1.3',
                  },
                }
              : {
                  criticVersionId: `${tag}-critic-${criticVersion}`,
                  rubricIds: [pick(RUBRICS), pick(RUBRICS)].filter(
                    (id, i, all) => all.indexOf(id) === i,
                  ),
                }),
            ...(domain === 'instruction_following'
              ? {
                  hackCheck: {
                    flagged: rand() < 0.1,
                    ...(rand() < 0.1 ? { reason: 'pretends to follow the format' } : {}),
                  },
                }
              : {}),
          },
        );
      }
      yield event('critic.compared', runSubject, 'critic/self-critic', {
        comparisonId: `${tag}-comparison-${step}-${prompt}`,
        rlRunId,
        step,
        criticVersionId: `${tag}-critic-${criticVersion}`,
        rolloutIds: [groupRollouts[0], groupRollouts[1] ?? groupRollouts[0] + '-b'].slice(0, 2),
        preferredRolloutId:
          groupRollouts[rand() < 0.5 ? 0 : Math.min(1, groupRollouts.length - 1)] ??
          groupRollouts[0],
        rubricIds: [pick(RUBRICS)],
        rationale: 'Response A is clearer and avoids initial praise.',
      });
    }
    if (step % 10 === 0) {
      const next = `${tag}-checkpoint-${step}`;
      yield event('checkpoint.saved', runSubject, trainer, {
        checkpointId: next,
        rlRunId,
        step,
        uri: `s3://checkpoints/${rlRunId}/step-${step}`,
        parentCheckpointId: checkpointId,
      });
      checkpointId = next;
      for (const [benchmark, metric] of [
        ['AIME25', 'avg@4'],
        ['tau2-bench', 'pass@1'],
      ] as const) {
        yield event('evaluation.recorded', `checkpoint:${next}`, 'eval/harness', {
          evaluationId: `${tag}-eval-${step}-${benchmark}`,
          checkpointId: next,
          benchmark,
          metric,
          value: Math.round((0.3 + 0.4 * progress + rand() * 0.05) * 1000) / 1000,
          samples: 120,
        });
      }
      criticVersion++;
      yield event('critic.updated', runSubject, trainer, {
        criticVersionId: `${tag}-critic-${criticVersion}`,
        parentCriticVersionId: `${tag}-critic-${criticVersion - 1}`,
        rlRunId,
        step,
        rolloutCount: 10 * options.promptsPerStep * options.samplesPerPrompt,
        agreement: VERIFIABLE_DOMAINS.slice(0, 3).map((domain) => ({
          domain,
          accuracy: Math.round((0.6 + 0.3 * progress) * 1000) / 1000,
          samples: 200,
        })),
      });
    }
  }
  yield event('rl.finished', runSubject, trainer, {
    rlRunId,
    status: 'succeeded',
    finalCheckpointId: checkpointId,
  });
}

function* datasetEvents(
  event: (
    type: string,
    subject: string,
    source: string,
    data: Record<string, unknown>,
  ) => DemoEvent,
  datasetId: string,
  memberKind: 'trajectory' | 'task',
  memberIds: string[],
  purpose: 'sft' | 'rl',
): Generator<DemoEvent> {
  const subject = `dataset:${datasetId}`;
  for (let offset = 0; offset < memberIds.length || offset === 0; offset += 1000) {
    const chunk = memberIds.slice(offset, offset + 1000);
    if (chunk.length === 0) break;
    yield event('dataset.members.added', subject, 'datasets/builder', {
      datasetId,
      version: 1,
      memberKind,
      memberIds: chunk,
    });
  }
  const distinct = new Set(memberIds);
  yield event('dataset.sealed', subject, 'datasets/builder', {
    datasetId,
    version: 1,
    memberCount: distinct.size,
    contentHash: datasetContentHash(memberIds),
    purpose,
    description: `${purpose} dataset of the demo pipeline`,
  });
}
