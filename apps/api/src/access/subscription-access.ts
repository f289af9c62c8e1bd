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

/**
 * graphql-ws hooks: the key comes in connection_init's payload ({"authorization": "Bearer
 * ..."}; the upgrade request's Authorization header is taken too), each key holds at most
 * `connectionsPerKey` connections, and every subscription's context carries the caller.
 */
export function subscriptionAccess(authenticator: Authenticator, connectionsPerKey: number) {
  const open = new Map<string, number>();

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
      if (!caller.has('read')) {
        return refuse(
          extra,
          FORBIDDEN,
          `subscriptions need the read scope; ${caller.label} lacks it`,
        );
      }
      if (caller.keyId !== null) {
        const held = open.get(caller.keyId) ?? 0;
        if (held >= connectionsPerKey) {
          return refuse(
            extra,
            TOO_MANY,
            `${caller.label} holds ${held} connections, the limit (SUBSCRIPTION_CONNECTIONS_PER_KEY=${connectionsPerKey})`,
          );
        }
        open.set(caller.keyId, held + 1);
        extra.counted = caller.keyId;
      }
      extra.caller = caller;
      return true;
    },
    onClose: (context: Context<Record<string, unknown>, ConnectionExtra>) => {
      const keyId = context.extra.counted;
      if (keyId === undefined) return;
      context.extra.counted = undefined;
      const held = (open.get(keyId) ?? 1) - 1;
      if (held > 0) open.set(keyId, held);
      else open.delete(keyId);
    },
    /** Connections held per key id (status and tests). */
    connectionsOf: (keyId: string) => open.get(keyId) ?? 0,
  };
}
