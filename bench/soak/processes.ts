import type { ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, type WriteStream } from 'node:fs';

/** Resident memory of a process in MiB, from /proc (Linux); NaN when it cannot be read. */
export function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kib === undefined ? NaN : Number(kib) / 1024;
  } catch {
    return NaN;
  }
}

/** The pid of our own child whose command name is `comm` (e.g. the Kafka mock), if any. */
export function childPid(comm: string): number | undefined {
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (name === comm && parent === process.pid) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** An exit nobody asked for: a crash the soak reports (and fails on). */
export interface Crash {
  readonly role: string;
  readonly at: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * A child process the soak keeps running: `kill()` is a fault (expected exit, not restarted
 * until `start()`); any other exit is a crash, recorded and restarted after a second so that
 * the soak goes on. Its stderr is appended to `logPath`.
 */
export class Supervised {
  child: ChildProcess | undefined;
  restarts = 0;
  private expectExit = false;
  private stopping = false;
  private readonly log: WriteStream;

  constructor(
    readonly role: string,
    private readonly spawnChild: () => ChildProcess,
    readonly logPath: string,
    private readonly crashes: Crash[],
  ) {
    this.log = createWriteStream(logPath, { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null
      ? this.child.pid
      : undefined;
  }

  start(): void {
    this.expectExit = false;
    const child = this.spawnChild();
    this.child = child;
    child.stderr?.pipe(this.log, { end: false });
    child.once('exit', (code, signal) => {
      if (this.expectExit || this.stopping || this.child !== child) return;
      this.crashes.push({ role: this.role, at: Date.now(), code, signal });
      this.log.write(`\n[soak] ${this.role} exited by itself (code ${code}, signal ${signal})\n`);
      setTimeout(() => {
        if (!this.stopping && this.child === child) this.restart();
      }, 1_000);
    });
  }

  restart(): void {
    this.restarts++;
    this.start();
  }

  /** Sends `signal` and waits for the exit (a fault: the process is not restarted by itself). */
  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.expectExit = true;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  /** From now on an exit is no crash and is not restarted (the soak was interrupted). */
  abandon(): void {
    this.stopping = true;
  }

  /** Ends it for good: SIGTERM, SIGKILL after 5 s. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    await new Promise((resolve) => this.log.end(resolve));
  }
}
