import { createHash, randomBytes } from 'node:crypto';

/** Keys read `ptt_<keyId>_<secret>`: the id names the key in lists and logs, never the secret. */
const TOKEN = /^ptt_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

export interface NewToken {
  readonly keyId: string;
  readonly token: string;
}

export function newToken(): NewToken {
  const keyId = randomBytes(6).toString('hex');
  return { keyId, token: `ptt_${keyId}_${randomBytes(32).toString('base64url')}` };
}

/** What is stored: the token's SHA-256 (32 random bytes leave nothing to brute-force). */
export const tokenHash = (token: string): Buffer => createHash('sha256').update(token).digest();

/** The key id a well-formed token names, or null (so a malformed one costs no query). */
export function tokenKeyId(token: string): string | null {
  return TOKEN.exec(token)?.[1] ?? null;
}
