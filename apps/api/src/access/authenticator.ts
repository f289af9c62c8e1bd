import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@tracker/platform';
import type { Database } from '@tracker/read-model';
import { ApiError } from '../graphql/api-error';
import { tokenHash, tokenKeyId } from './api-key-token';
import { activeKeyCount, findActiveKey } from './api-keys.store';
import { Caller } from './caller';

/** How long a verified key, or the answer "no keys exist", is trusted before asking again. */
const KEY_TTL_MS = 2000;

/**
 * Turns an Authorization header (or a graphql-ws connection_init payload) into a Caller.
 * While no key exists the tracker is open (it then listens on a loopback address only); the
 * first key created closes it, in every API process within KEY_TTL_MS. A revoked key stops
 * working within KEY_TTL_MS too (at once in the process that revoked it).
 */
@Injectable()
export class Authenticator {
  private open: { value: boolean; until: number } | null = null;
  private readonly keys = new Map<string, { caller: Caller | null; until: number }>();

  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** Whether no key exists (anyone may do anything). */
  async isOpen(): Promise<boolean> {
    const now = Date.now();
    if (this.open && this.open.until > now) return this.open.value;
    const value = (await activeKeyCount(this.database.pool)) === 0;
    this.open = { value, until: now + KEY_TTL_MS };
    return value;
  }

  private readonly revokedListeners = new Set<(keyId: string) => void>();

  /** Forget what was cached (after creating or revoking a key in this process). */
  invalidate(): void {
    this.open = null;
    this.keys.clear();
  }

  /** A key was revoked in this process: refuse it at once, and end what it holds open. */
  revoked(keyId: string): void {
    this.invalidate();
    for (const listener of this.revokedListeners) listener(keyId);
  }

  onRevoked(listener: (keyId: string) => void): void {
    this.revokedListeners.add(listener);
  }

  /** Which of these keys are revoked now (revocations made by other processes). */
  async revokedAmong(keyIds: readonly string[]): Promise<string[]> {
    const { rows } = await this.database.pool.query<{ key_id: string }>(
      'SELECT key_id FROM api_keys WHERE key_id = ANY($1) AND revoked_at IS NOT NULL',
      [keyIds],
    );
    return rows.map((row) => row.key_id);
  }

  /** The caller an `Authorization` header value stands for; throws UNAUTHENTICATED. */
  async fromAuthorization(header: string | null | undefined): Promise<Caller> {
    const token = bearerToken(header);
    if (await this.isOpen()) return Caller.OPEN;
    if (token === null) {
      throw new ApiError(
        'UNAUTHENTICATED',
        'this tracker requires an API key: send "Authorization: Bearer <key>" (subscriptions: {"authorization": "Bearer <key>"} in connection_init)',
      );
    }
    return this.fromToken(token);
  }

  private async fromToken(token: string): Promise<Caller> {
    const keyId = tokenKeyId(token);
    if (keyId === null) {
      throw new ApiError(
        'UNAUTHENTICATED',
        'malformed API key: keys read ptt_<12 hex digits>_<43 characters>',
      );
    }
    const cacheKey = tokenHash(token).toString('hex');
    const now = Date.now();
    let cached = this.keys.get(cacheKey);
    if (!cached || cached.until <= now) {
      const key = await findActiveKey(this.database.pool, token);
      const caller = key
        ? new Caller(key.keyId, new Set(key.scopes), key.projects ? new Set(key.projects) : null)
        : null;
      cached = { caller, until: now + KEY_TTL_MS };
      if (this.keys.size > 10_000) this.keys.clear(); // bounded: unknown tokens are cached too
      this.keys.set(cacheKey, cached);
    }
    if (!cached.caller) {
      throw new ApiError('UNAUTHENTICATED', `API key ${keyId} is unknown or revoked`);
    }
    return cached.caller;
  }
}

/** The token of "Bearer <token>" (case-insensitive scheme), or null when there is none. */
export function bearerToken(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
