import { Logger } from '@nestjs/common';
import type { Database } from '@tracker/read-model';
import { Client } from 'pg';

/** The Postgres channel projectors notify on commit, with the batch's last journal position. */
export const JOURNAL_CHANNEL = 'tracker_journal';

export interface JournalWatchOptions {
  /** How often to read the journal's last position anyway (the only signal with PGlite). */
  readonly pollMs: number;
}

/**
 * Tells this process how far the journal has been committed, whichever process projected it:
 * through LISTEN on the channel projectors NOTIFY on commit (delivered only once committed;
 * positions commit in order, so every position up to the notified one is readable), and by
 * reading the last position every `pollMs` (PGlite serves one connection and cannot LISTEN;
 * with a server, polling covers a LISTEN connection being re-established).
 */
export class JournalWatch {
  private readonly logger = new Logger('JournalWatch');
  private readonly listeners = new Set<(through: bigint) => void>();
  private through = 0n;
  private listenClient: Client | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly database: Pick<Database, 'pool' | 'url' | 'embedded'>,
    private readonly options: JournalWatchOptions,
  ) {}

  /** The last committed journal position this process knows of. */
  get position(): bigint {
    return this.through;
  }

  async start(): Promise<void> {
    await this.poll();
    if (!this.database.embedded) await this.listen();
    this.pollTimer = setInterval(() => void this.poll(), this.options.pollMs);
    this.pollTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.listenClient;
    this.listenClient = null;
    await client?.end().catch(() => undefined);
  }

  /** Calls `listener` with each new committed position; returns the unsubscribe. */
  onAdvance(listener: (through: bigint) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private advance(position: bigint): void {
    if (position <= this.through) return;
    this.through = position;
    for (const listener of this.listeners) listener(position);
  }

  private async poll(): Promise<void> {
    try {
      const { rows } = await this.database.pool.query<{ max: string | null }>(
        'SELECT max(position)::text AS max FROM event_journal',
      );
      if (rows[0].max !== null) this.advance(BigInt(rows[0].max));
    } catch (error) {
      if (!this.stopped) this.logger.warn(`reading the journal position: ${String(error)}`);
    }
  }

  private async listen(): Promise<void> {
    const client = new Client({
      connectionString: this.database.url,
      application_name: 'post-training-tracker-live',
    });
    const retry = () => {
      if (this.stopped || this.listenClient !== client) return;
      this.listenClient = null;
      void client.end().catch(() => undefined);
      this.reconnectTimer = setTimeout(() => void this.listen(), 1_000);
      this.reconnectTimer.unref();
    };
    client.on('error', (error) => {
      this.logger.warn(`LISTEN connection lost (${error.message}); polling until it is back`);
      retry();
    });
    client.on('end', retry);
    client.on('notification', (message) => {
      if (message.channel !== JOURNAL_CHANNEL || !message.payload) return;
      if (/^\d+$/.test(message.payload)) this.advance(BigInt(message.payload));
    });
    this.listenClient = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${JOURNAL_CHANNEL}`);
      await this.poll(); // what committed while not listening
    } catch (error) {
      this.logger.warn(`LISTEN ${JOURNAL_CHANNEL} failed (${String(error)}); retrying`);
      retry();
    }
  }
}
