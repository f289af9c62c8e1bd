import type { TrackerConfig } from '@tracker/config';
import { openDatabase } from '@tracker/read-model';
import {
  ApiKeyRequestError,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  type ApiKeyRecord,
} from '../../../api/src/access/api-keys.store';

type Write = (text: string) => void;

const USAGE = `usage: tracker keys create --name NAME --scopes ingest,read,admin [--projects A,B]
       tracker keys list
       tracker keys revoke KEY_ID
`;

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

const list = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const describe = (key: ApiKeyRecord) =>
  `${key.keyId}  ${key.name}  scopes ${key.scopes.join(',')}  projects ${key.projects ? key.projects.join(',') : '(all)'}  created ${key.createdAt.toISOString()}${key.revokedAt ? `  REVOKED ${key.revokedAt.toISOString()}` : ''}\n`;

/** `tracker keys ...` against the database (exit 0 done, 1 refused, 2 usage). */
export async function keysCommand(
  args: string[],
  config: TrackerConfig,
  out: Write,
  err: Write,
): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'create' && action !== 'list' && action !== 'revoke') {
    err(USAGE);
    return 2;
  }
  if (action === 'revoke' && !rest[0]) {
    err(USAGE);
    return 2;
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    if (action === 'list') {
      const keys = await listApiKeys(database.pool);
      out(keys.length > 0 ? keys.map(describe).join('') : 'no API keys: the tracker runs open\n');
      return 0;
    }
    if (action === 'revoke') {
      const revoked = await revokeApiKey(database.pool, rest[0]);
      if (!revoked) {
        err(`no API key ${JSON.stringify(rest[0])}\n`);
        return 1;
      }
      out(`revoked ${describe(revoked)}`);
      return 0;
    }
    const projects = list(option(rest, 'projects'));
    const { key, token } = await createApiKey(database.pool, {
      name: option(rest, 'name') ?? '',
      scopes: list(option(rest, 'scopes')),
      projects: projects.length > 0 ? projects : null,
    });
    out(`created ${describe(key)}`);
    out(`key (shown once; send it as "Authorization: Bearer <key>"):\n${token}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ApiKeyRequestError) {
      err(`${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  } finally {
    await database.close();
  }
}
