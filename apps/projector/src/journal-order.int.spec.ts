import { createTestDatabase, type TestDatabase } from '@tracker/testing';
import { awaitJournalTurn, reserveJournal } from './journal.sql';

// Several projector transactions run at once (lanes); journal positions must still become
// visible in order, so that a reader tailing by position never skips one.
describe('journal commit order (real Postgres)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('journal_order');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('makes a later reservation wait for the earlier transaction before it may commit', async () => {
    const earlier = await database.pool.connect();
    const later = await database.pool.connect();
    try {
      await earlier.query('BEGIN');
      await later.query('BEGIN');
      const first = await reserveJournal(earlier, 3);
      const second = await reserveJournal(later, 2);
      expect(BigInt(second.ticket)).toBe(BigInt(first.ticket) + 1n);
      expect(second.firstPosition).toBe(first.firstPosition + 3n); // consecutive blocks

      let laterMayCommit = false;
      const turn = awaitJournalTurn(later, second).then(() => (laterMayCommit = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(laterMayCommit).toBe(false); // still waiting for the earlier transaction

      await earlier.query('COMMIT');
      await turn;
      expect(laterMayCommit).toBe(true);
      await later.query('COMMIT');
    } finally {
      earlier.release();
      later.release();
    }
  });

  it('lets a transaction go on when the earlier one rolled back', async () => {
    const earlier = await database.pool.connect();
    const later = await database.pool.connect();
    try {
      await earlier.query('BEGIN');
      await later.query('BEGIN');
      await reserveJournal(earlier, 1);
      const second = await reserveJournal(later, 1);
      const turn = awaitJournalTurn(later, second);
      await earlier.query('ROLLBACK');
      await turn;
      await later.query('COMMIT');
    } finally {
      earlier.release();
      later.release();
    }
  });
});
