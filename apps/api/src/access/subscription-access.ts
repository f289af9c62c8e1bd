import type { IncomingMessage } from 'node:http';
import type { Context } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { ApiError } from '../graphql/api-error';
import type { Authenticator } from './authenticator';
import type { Caller } from './caller';

/** What graphql-ws's ws adapter hands each connection, plus who it is. */
interface ConnectionExtra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
  caller?: Caller;
  counted?: string;
}

// graphql-ws close codes: 4401 Unauthorized and 4403 Forbidden are its own; 4429 is ours.
const UNAUTHORIZED = 4401;
const FORBIDDEN = 4403;
const TOO_MANY = 4429;

/** How often open connections' keys are checked for revocation by other processes. */
const REVOCATION_SWEEP_MS = 2000;

/**
 * graphql-ws hooks: the key comes in connection_init's payload ({"authorization": "Bearer
 * ..."}; the upgrade request's Authorization header is taken too), each key holds at most
 * `connectionsPerKey` connections, a revoked key's connections end (close code 4401), and
 * every subscription's context carries the caller.
 */
export function subscriptionAccess(authenticator: Authenticator, connectionsPerKey: number) {
  const open = new Map<string, Set<ConnectionExtra>>();
  const endRevoked = (keyId: string) => {
    for (const extra of open.get(keyId) ?? []) {
      extra.socket.close(UNAUTHORIZED, `API key ${keyId} was revoked`);
    }
  };
  authenticator.onRevoked(endRevoked);
  // Revocations by other processes (the CLI, another API process): looked for every few
  // seconds while keyed connections are open, so a revoked key's subscriptions end too.
  let sweeping: NodeJS.Timeout | null = null;
  const sweep = () => {
    if (open.size === 0) {
      clearInterval(sweeping!);
      sweeping = null;
      return;
    }
    authenticator.revokedAmong([...open.keys()]).then(
      (revoked) => revoked.forEach(endRevoked),
      () => undefined, // the database is away: the next sweep asks again
    );
  };

  const refuse = (extra: ConnectionExtra, code: number, reason: string): false => {
    // Close reasons are at most 123 bytes.
    extra.socket.close(code, Buffer.from(reason).subarray(0, 123).toString());
    return false;
  };

  return {
    onConnect: async (context: Context<Record<string, unknown>, ConnectionExtra>) => {
      const extra = context.extra;
      const params = context.connectionParams ?? {};
      const header =
        (typeof params.authorization === 'string' && params.authorization) ||
        (typeof params.Authorization === 'string' && params.Authorization) ||
        extra.request.headers.authorization;
      let caller: Caller;
      try {
        caller = await authenticator.fromAuthorization(header);
      } catch (error) {
        if (error instanceof ApiError) return refuse(extra, UNAUTHORIZED, error.message);
        throw error;
      }
      const refused = caller.lacks('read', 'a subscription');
      if (refused) return refuse(extra, FORBIDDEN, refused);
      if (caller.keyId !== null) {
        const held = open.get(caller.keyId)?.size ?? 0;
        if (held >= connectionsPerKey) {
          return refuse(
            extra,
            TOO_MANY,
            `${caller.label} holds ${held} connections, the limit (SUBSCRIPTION_CONNECTIONS_PER_KEY=${connectionsPerKey})`,
          );
        }
        const connections = open.get(caller.keyId) ?? new Set<ConnectionExtra>();
        open.set(caller.keyId, connections.add(extra));
        extra.counted = caller.keyId;
        sweeping ??= setInterval(sweep, REVOCATION_SWEEP_MS).unref();
      }
      extra.caller = caller;
      return true;
    },
    onClose: (context: Context<Record<string, unknown>, ConnectionExtra>) => {
      const keyId = context.extra.counted;
      if (keyId === undefined) return;
      context.extra.counted = undefined;
      const connections = open.get(keyId);
      connections?.delete(context.extra);
      if (connections?.size === 0) open.delete(keyId);
    },
  };
}
