import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event path: the log's embedded adapter, the journal, offsets, dead letters, the
 * projections of all 16 event types, lineage edges and reward rollups.
 */
export class EventPath1764446400000 implements MigrationInterface {
  name = 'EventPath1764446400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- The embedded log: used when no Kafka is configured. Appends are serialized (advisory
      -- lock) so positions commit in order and a reader never skips a late commit.
      CREATE TABLE embedded_log (
        position bigserial PRIMARY KEY,
        key text NOT NULL,
        value text NOT NULL,
        appended_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );

      -- Every projected event, once, in the order the tracker learned it (position).
      CREATE TABLE event_journal (
        position bigserial PRIMARY KEY,
        event_id text NOT NULL,
        type text NOT NULL,
        subject text NOT NULL,
        source text NOT NULL,
        event_time timestamptz NOT NULL,
        schema_version integer NOT NULL,
        -- json, not jsonb: the envelope exactly as received (key order, numbers), and cheaper to write.
        envelope json NOT NULL,
        log_topic text NOT NULL,
        log_partition integer NOT NULL,
        log_offset bigint NOT NULL,
        logged_at timestamptz,
        projected_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT event_journal_event_id_key UNIQUE (event_id)
      );
      CREATE INDEX event_journal_subject_idx ON event_journal (subject, position);

      -- Authoritative consumer positions, written in the same transaction as the projection.
      CREATE TABLE consumer_offsets (
        group_id text NOT NULL,
        log_topic text NOT NULL,
        log_partition integer NOT NULL,
        last_offset bigint NOT NULL,
        high_watermark bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, log_topic, log_partition)
      );

      CREATE TABLE dead_letters (
        id bigserial PRIMARY KEY,
        log_topic text NOT NULL,
        log_partition integer NOT NULL,
        log_offset bigint NOT NULL,
        stage text NOT NULL CHECK (stage IN ('decode', 'project')),
        reason text NOT NULL,
        event_id text,
        event_type text,
        raw bytea,
        logged_at timestamptz,
        dead_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT dead_letters_log_key UNIQUE (log_topic, log_partition, log_offset)
      );

      CREATE TABLE tools (
        tool_id text PRIMARY KEY,
        name text NOT NULL,
        description text,
        source text NOT NULL,
        origin text,
        evolved_from text[] NOT NULL DEFAULT '{}',
        domain text,
        input_schema jsonb NOT NULL,
        registered_at timestamptz NOT NULL,
        position bigint NOT NULL
      );
      CREATE INDEX tools_position_idx ON tools (position);

      CREATE TABLE agents (
        agent_id text PRIMARY KEY,
        system_prompt text NOT NULL,
        tool_ids text[] NOT NULL,
        synthesis_run_id text,
        defined_at timestamptz NOT NULL,
        position bigint NOT NULL
      );
      CREATE INDEX agents_position_idx ON agents (position);

      CREATE TABLE tasks (
        task_id text PRIMARY KEY,
        agent_id text,
        prompt text NOT NULL,
        rubric jsonb,
        domain text,
        difficulty double precision,
        defined_at timestamptz NOT NULL,
        position bigint NOT NULL
      );
      CREATE INDEX tasks_position_idx ON tasks (position);
      CREATE INDEX tasks_agent_idx ON tasks (agent_id, position);

      -- Started and completed fields merge whatever order the two events arrive in.
      CREATE TABLE synthesis_runs (
        synthesis_run_id text PRIMARY KEY,
        project text,
        name text,
        generator_model text,
        config jsonb,
        started_at timestamptz,
        completed_status text,
        completed_at timestamptz,
        position bigint NOT NULL
      );
      CREATE INDEX synthesis_runs_position_idx ON synthesis_runs (position);

      CREATE TABLE trajectories (
        trajectory_id text PRIMARY KEY,
        synthesis_run_id text NOT NULL,
        task_id text NOT NULL,
        agent_id text NOT NULL,
        turns jsonb NOT NULL,
        turn_count integer NOT NULL,
        called_tool_ids text[] NOT NULL,
        passed boolean NOT NULL,
        score double precision,
        criteria jsonb,
        judge_model text,
        recorded_at timestamptz NOT NULL,
        position bigint NOT NULL
      );
      CREATE INDEX trajectories_position_idx ON trajectories (position);
      CREATE INDEX trajectories_run_idx ON trajectories (synthesis_run_id, position);

      CREATE TABLE dataset_versions (
        dataset_id text NOT NULL,
        version integer NOT NULL,
        member_kind text,
        member_count integer NOT NULL DEFAULT 0,
        computed_content_hash text,
        sealed boolean NOT NULL DEFAULT false,
        sealed_member_count integer,
        sealed_content_hash text,
        purpose text,
        description text,
        sealed_at timestamptz,
        created_at timestamptz NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (dataset_id, version)
      );
      CREATE INDEX dataset_versions_position_idx ON dataset_versions (position);

      CREATE TABLE dataset_members (
        dataset_id text NOT NULL,
        version integer NOT NULL,
        member_id text NOT NULL,
        member_kind text NOT NULL,
        event_id text NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (dataset_id, version, member_id)
      );

      -- What the projection noticed while building a version (members after the seal, ...).
      CREATE TABLE dataset_findings (
        id bigserial PRIMARY KEY,
        dataset_id text NOT NULL,
        version integer NOT NULL,
        finding text NOT NULL,
        member_ids text[] NOT NULL DEFAULT '{}',
        detail text,
        event_id text NOT NULL,
        position bigint NOT NULL
      );
      CREATE INDEX dataset_findings_version_idx ON dataset_findings (dataset_id, version, position);

      CREATE TABLE rl_runs (
        rl_run_id text PRIMARY KEY,
        project text,
        name text,
        policy_model text,
        base_checkpoint_id text,
        datasets jsonb,
        critic_version_id text,
        config jsonb,
        started_at timestamptz,
        finished_status text,
        final_checkpoint_id text,
        finished_at timestamptz,
        position bigint NOT NULL
      );
      CREATE INDEX rl_runs_position_idx ON rl_runs (position);

      CREATE TABLE checkpoints (
        checkpoint_id text PRIMARY KEY,
        rl_run_id text NOT NULL,
        step integer NOT NULL,
        uri text,
        parent_checkpoint_id text,
        saved_at timestamptz NOT NULL,
        position bigint NOT NULL
      );
      CREATE INDEX checkpoints_run_idx ON checkpoints (rl_run_id, step);
      CREATE INDEX checkpoints_position_idx ON checkpoints (position);

      CREATE TABLE rollouts (
        rollout_id text PRIMARY KEY,
        rl_run_id text NOT NULL,
        step integer NOT NULL,
        task_id text NOT NULL,
        group_id text,
        policy_checkpoint_id text,
        gym_template text,
        gym_domain text,
        prompt_tokens integer,
        response_tokens integer NOT NULL,
        num_turns integer,
        num_tool_calls integer,
        finish_reason text,
        partial_of text,
        completed_at timestamptz NOT NULL,
        position bigint NOT NULL
      );
      CREATE INDEX rollouts_run_step_idx ON rollouts (rl_run_id, step, position);
      CREATE INDEX rollouts_position_idx ON rollouts (position);

      CREATE TABLE rewards (
        reward_id text PRIMARY KEY,
        rollout_id text NOT NULL,
        rl_run_id text NOT NULL,
        step integer NOT NULL,
        kind text NOT NULL,
        domain text NOT NULL,
        value double precision NOT NULL,
        verifier_name text,
        verifier_version text,
        critic_version_id text,
        rubric_ids text[] NOT NULL DEFAULT '{}',
        hack_flagged boolean,
        hack_reason text,
        assigned_at timestamptz NOT NULL,
        position bigint NOT NULL
      );
      CREATE INDEX rewards_run_step_idx ON rewards (rl_run_id, step, position);
      CREATE INDEX rewards_rollout_idx ON rewards (rollout_id);
      CREATE INDEX rewards_position_idx ON rewards (position);

      CREATE TABLE critic_comparisons (
        comparison_id text PRIMARY KEY,
        rl_run_id text NOT NULL,
        step integer NOT NULL,
        critic_version_id text NOT NULL,
        rollout_ids text[] NOT NULL,
        preferred_rollout_id text NOT NULL,
        rubric_ids text[] NOT NULL DEFAULT '{}',
        rationale text,
        compared_at timestamptz NOT NULL,
        position bigint NOT NULL
      );
      CREATE INDEX critic_comparisons_run_idx ON critic_comparisons (rl_run_id, step, position);
      CREATE INDEX critic_comparisons_position_idx ON critic_comparisons (position);

      CREATE TABLE critic_versions (
        critic_version_id text PRIMARY KEY,
        parent_critic_version_id text,
        rl_run_id text NOT NULL,
        step integer NOT NULL,
        rollout_count integer,
        agreement jsonb NOT NULL DEFAULT '[]',
        updated_at timestamptz NOT NULL,
        position bigint NOT NULL
      );
      CREATE INDEX critic_versions_run_idx ON critic_versions (rl_run_id, step);
      CREATE INDEX critic_versions_position_idx ON critic_versions (position);

      CREATE TABLE evaluations (
        evaluation_id text PRIMARY KEY,
        checkpoint_id text NOT NULL,
        benchmark text NOT NULL,
        metric text NOT NULL,
        value double precision NOT NULL,
        samples integer,
        recorded_at timestamptz NOT NULL,
        position bigint NOT NULL
      );
      CREATE INDEX evaluations_checkpoint_idx ON evaluations (checkpoint_id, position);
      CREATE INDEX evaluations_position_idx ON evaluations (position);

      -- Lineage as typed node ids (KIND:ID): src -relation-> dst, both directions indexed.
      CREATE TABLE lineage_edges (
        src text NOT NULL,
        relation text NOT NULL,
        dst text NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (src, relation, dst)
      );
      CREATE INDEX lineage_edges_dst_idx ON lineage_edges (dst, relation);

      -- Reward aggregates per run x domain x kind x step, maintained with each batch. Sums are
      -- numeric so that any batching (live or replay) adds up to exactly the same figures.
      CREATE TABLE reward_rollups (
        rl_run_id text NOT NULL,
        domain text NOT NULL,
        kind text NOT NULL,
        step integer NOT NULL,
        count bigint NOT NULL,
        sum numeric NOT NULL,
        sum_squares numeric NOT NULL,
        min double precision NOT NULL,
        max double precision NOT NULL,
        pass_count bigint NOT NULL,
        hack_flagged_count bigint NOT NULL,
        PRIMARY KEY (rl_run_id, domain, kind, step)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE reward_rollups, lineage_edges, evaluations, critic_versions, critic_comparisons,
        rewards, rollouts, checkpoints, rl_runs, dataset_findings, dataset_members,
        dataset_versions, trajectories, synthesis_runs, tasks, agents, tools, dead_letters,
        consumer_offsets, event_journal, embedded_log;
    `);
  }
}
