import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('commits items submitted during a commit together, in submission order', async () => {
    const commits: number[][] = [];
    let release: () => void = () => undefined;
    const group = new GroupCommit<number>(
      async (items) => {
        commits.push(items);
        if (commits.length === 1) await new Promise<void>((resolve) => (release = resolve));
      },
      () => 1,
      100,
    );
    const first = group.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const later = [group.submit(2), group.submit(3)];
    release();
    await Promise.all([first, ...later]);
    expect(commits).toEqual([[1], [2, 3]]);
  });

  it('after a failed commit rejects the queue and every submission until reset', async () => {
    let fail = true;
    const committed: number[] = [];
    const group = new GroupCommit<number>(
      async (items) => {
        if (fail) throw new Error('database down');
        committed.push(...items);
      },
      () => 1,
      100,
    );
    await expect(group.submit(1)).rejects.toThrow('database down');
    await expect(group.submit(2)).rejects.toThrow('database down');
    fail = false;
    group.reset();
    await group.submit(3);
    await group.idle();
    expect(committed).toEqual([3]);
  });

  it('holds submitters back while the queued weight is at the bound', async () => {
    let release: () => void = () => undefined;
    const group = new GroupCommit<number>(
      () => new Promise<void>((resolve) => (release = resolve)),
      (item) => item,
      10,
    );
    void group.submit(10);
    let roomy = false;
    const room = group.room().then(() => (roomy = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(roomy).toBe(false);
    release();
    await room;
    expect(roomy).toBe(true);
  });
});
