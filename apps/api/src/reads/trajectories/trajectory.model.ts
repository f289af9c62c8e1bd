import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';

@ObjectType({ description: 'A tool call made in a turn, with what the simulator answered.' })
export class ToolCall {
  @Field(() => ID)
  toolId!: string;

  @Field(() => GraphQLJSON)
  arguments!: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  result!: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  error!: unknown;
}

@ObjectType({ description: 'One turn of a trajectory.' })
export class Turn {
  @Field({ description: 'system | user | assistant | tool' })
  role!: string;

  @Field(() => String, { nullable: true })
  content!: string | null;

  @Field(() => [ToolCall])
  toolCalls!: ToolCall[];
}

@ObjectType({ description: 'The verdict on one rubric criterion.' })
export class JudgedCriterion {
  @Field(() => ID)
  id!: string;

  @Field()
  passed!: boolean;
}

@ObjectType({ description: 'How the judge rated a trajectory against its task rubric.' })
export class Judgement {
  @Field()
  passed!: boolean;

  @Field(() => Float, { nullable: true })
  score!: number | null;

  @Field(() => [JudgedCriterion])
  criteria!: JudgedCriterion[];

  @Field(() => String, { nullable: true })
  judgeModel!: string | null;
}

@ObjectType({
  description:
    'A judged multi-turn trajectory of a user and a tool-using agent (trajectory.recorded).',
})
export class Trajectory {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  synthesisRunId!: string;

  @Field(() => ID)
  taskId!: string;

  @Field(() => ID)
  agentId!: string;

  @Field(() => [Turn])
  turns!: Turn[];

  @Field(() => Int)
  turnCount!: number;

  @Field(() => [ID], {
    description: 'Distinct ids of the tools its turns call, registered or not.',
  })
  calledToolIds!: string[];

  @Field()
  passed!: boolean;

  @Field(() => Judgement)
  judgement!: Judgement;

  @Field()
  recordedAt!: Date;

  @Field(() => String)
  position!: string;
}

interface StoredTurn {
  role: string;
  content: string | null;
  toolCalls?: Array<{ toolId: string; arguments: unknown; result?: unknown; error?: unknown }>;
}

export interface TrajectoryRow {
  trajectory_id: string;
  synthesis_run_id: string;
  task_id: string;
  agent_id: string;
  turns: StoredTurn[];
  turn_count: number;
  called_tool_ids: string[];
  passed: boolean;
  score: number | null;
  criteria: Array<{ id: string; passed: boolean }> | null;
  judge_model: string | null;
  recorded_at: Date;
  position: string;
}

export function toTrajectory(row: TrajectoryRow): Trajectory {
  return {
    id: row.trajectory_id,
    synthesisRunId: row.synthesis_run_id,
    taskId: row.task_id,
    agentId: row.agent_id,
    turns: row.turns.map((turn) => ({
      role: turn.role,
      content: turn.content ?? null,
      toolCalls: (turn.toolCalls ?? []).map((call) => ({
        toolId: call.toolId,
        arguments: call.arguments,
        result: call.result ?? null,
        error: call.error ?? null,
      })),
    })),
    turnCount: row.turn_count,
    calledToolIds: row.called_tool_ids,
    passed: row.passed,
    judgement: {
      passed: row.passed,
      score: row.score,
      criteria: row.criteria ?? [],
      judgeModel: row.judge_model,
    },
    recordedAt: row.recorded_at,
    position: row.position,
  };
}
