import type { Pool } from 'pg';
import { newToken, tokenHash } from './api-key-token';
import { isScope, SCOPES, type Scope } from './scopes';

export interface ApiKeyRecord {
  readonly keyId: string;
  readonly name: string;
  readonly scopes: Scope[];
  /** null: every project. */
  readonly projects: string[] | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

export interface ApiKeyRequest {
  readonly name: string;
  readonly scopes: readonly string[];
  readonly projects?: readonly string[] | null;
}

/** A key request that cannot be granted; the message says which field and why. */
export class ApiKeyRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiKeyRequestError';
  }
}

interface ApiKeyRow {
  key_id: string;
  name: string;
  scopes: Scope[];
  projects: string[] | null;
  created_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = 'key_id, name, scopes, projects, created_at, revoked_at';

const toRecord = (row: ApiKeyRow): ApiKeyRecord => ({
  keyId: row.key_id,
  name: row.name,
  scopes: row.scopes,
  projects: row.projects,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

function checked(request: ApiKeyRequest): {
  name: string;
  scopes: Scope[];
  projects: string[] | null;
} {
  const name = request.name.trim();
  if (name.length < 1 || name.length > 100) {
    throw new ApiKeyRequestError('name: must be 1 to 100 characters');
  }
  const unknown = request.scopes.filter((scope) => !isScope(scope));
  if (unknown.length > 0) {
    throw new ApiKeyRequestError(
      `scopes: ${unknown.map((s) => JSON.stringify(s)).join(', ')} unknown; scopes are ${SCOPES.join(', ')}`,
    );
  }
  const scopes = SCOPES.filter((scope) => request.scopes.includes(scope));
  if (scopes.length === 0) {
    throw new ApiKeyRequestError(`scopes: give at least one of ${SCOPES.join(', ')}`);
  }
  const projects = request.projects ?? null;
  if (projects !== null) {
    if (projects.length === 0) {
      throw new ApiKeyRequestError(
        'projects: an empty list would grant nothing; omit it for every project',
      );
    }
    const bad = projects.find((project) => project.length < 1 || project.length > 128);
    if (bad !== undefined) {
      throw new ApiKeyRequestError(`projects: ${JSON.stringify(bad)} is not 1 to 128 characters`);
    }
  }
  return { name, scopes, projects: projects === null ? null : [...new Set(projects)].sort() };
}

/** Creates a key; the token is in the answer only: what is stored is its hash. */
export async function createApiKey(
  pool: Pool,
  request: ApiKeyRequest,
): Promise<{ key: ApiKeyRecord; token: string }> {
  const { name, scopes, projects } = checked(request);
  const { keyId, token } = newToken();
  const { rows } = await pool.query<ApiKeyRow>(
    `INSERT INTO api_keys (key_id, name, token_sha256, scopes, projects)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [keyId, name, tokenHash(token), scopes, projects],
  );
  return { key: toRecord(rows[0]), token };
}

export async function listApiKeys(pool: Pool): Promise<ApiKeyRecord[]> {
  const { rows } = await pool.query<ApiKeyRow>(
    `SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, key_id`,
  );
  return rows.map(toRecord);
}

/** Revokes a key (kept, for the record); null when no such key exists. */
export async function revokeApiKey(pool: Pool, keyId: string): Promise<ApiKeyRecord | null> {
  const { rows } = await pool.query<ApiKeyRow>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE key_id = $1
     RETURNING ${COLUMNS}`,
    [keyId],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** The active key a token belongs to, or null (unknown, revoked, or not this key's secret). */
export async function findActiveKey(pool: Pool, token: string): Promise<ApiKeyRecord | null> {
  const { rows } = await pool.query<ApiKeyRow>(
    `SELECT ${COLUMNS} FROM api_keys WHERE token_sha256 = $1 AND revoked_at IS NULL`,
    [tokenHash(token)],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/** Keys not revoked: none means the tracker runs open (on a loopback address only). */
export async function activeKeyCount(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ count: string }>(
    'SELECT count(*) FROM api_keys WHERE revoked_at IS NULL',
  );
  return Number(rows[0].count);
}
