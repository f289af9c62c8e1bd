import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Journal positions that commit in order although several projector transactions run at once:
 * a transaction reserves a ticket and a block of positions (under a short session lock), holds
 * a lock on its ticket until it ends, and before COMMIT waits for the previous ticket's
 * transaction to end. Readers tailing the journal by position therefore never see a position
 * commit after a larger one.
 */
export class JournalCommitOrder1764460800000 implements MigrationInterface {
  name = 'JournalCommitOrder1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE SEQUENCE journal_ticket_seq;

      -- 7362002: the reservation lock (also taken by replay); 2^60 + ticket: a ticket's lock.
      CREATE FUNCTION tracker_reserve_journal(event_count integer)
      RETURNS TABLE (ticket bigint, first_position bigint)
      LANGUAGE plpgsql AS $$
      DECLARE
        reserved bigint;
        first bigint;
      BEGIN
        PERFORM pg_advisory_lock(7362002);
        BEGIN
          reserved := nextval('journal_ticket_seq');
          PERFORM pg_advisory_xact_lock((1::bigint << 60) + reserved);
          first := nextval('event_journal_position_seq');
          IF event_count > 1 THEN
            PERFORM setval('event_journal_position_seq', first + event_count - 1);
          END IF;
        EXCEPTION WHEN OTHERS THEN
          PERFORM pg_advisory_unlock(7362002);
          RAISE;
        END;
        PERFORM pg_advisory_unlock(7362002);
        RETURN QUERY SELECT reserved, first;
      END $$;

      -- Called just before COMMIT: returns once the previous ticket's transaction has ended.
      CREATE FUNCTION tracker_await_journal_turn(ticket bigint) RETURNS void
      LANGUAGE sql AS $$ SELECT pg_advisory_xact_lock_shared((1::bigint << 60) + ticket - 1) $$;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP FUNCTION tracker_await_journal_turn(bigint);
      DROP FUNCTION tracker_reserve_journal(integer);
      DROP SEQUENCE journal_ticket_seq;
    `);
  }
}
