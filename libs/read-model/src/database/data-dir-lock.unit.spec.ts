import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir } from './data-dir-lock';

describe('lockDataDir (one process per embedded database)', () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'tracker-lock-'));

  it('refuses a second opener while the first lives, naming it, and frees the lock on release', () => {
    const dir = dataDir();
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, 'tracker.lock'), 'utf8')).toBe(String(process.pid));
    expect(() => lockDataDir(dir)).toThrow(
      `the embedded database in ${dir} is in use by process ${process.pid} (a running tracker?)`,
    );
    release();
    expect(existsSync(join(dir, 'tracker.lock'))).toBe(false);
    lockDataDir(dir)();
  });

  it('takes over a lock left by a process that died', () => {
    const dir = dataDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    writeFileSync(join(dir, 'tracker.lock'), String(dead));
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, 'tracker.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });
});
