import type { IncomingMessage } from 'node:http';
import { ApiError } from '../graphql/api-error';
import type { Authenticator } from './authenticator';
import type { Caller } from './caller';

/** The parts of Express's request and response used here (its types are not installed). */
export interface AuthenticatedRequest extends IncomingMessage {
  readonly baseUrl: string;
  readonly path: string;
  readonly query: Record<string, unknown>;
  /** Set by httpAuthentication on the API's data paths. */
  caller?: Caller;
}

interface JsonResponse {
  status(code: number): JsonResponse;
  setHeader(name: string, value: string): unknown;
  json(body: unknown): unknown;
}

type NextFunction = (error?: unknown) => void;

/** The caller of a request that passed httpAuthentication (fails closed if it did not). */
export function requestCaller(request: AuthenticatedRequest): Caller {
  if (!request.caller) throw new Error(`no caller on ${request.method} ${request.path}`);
  return request.caller;
}

/**
 * Express middleware for /graphql and /v1: sets `request.caller` from the Authorization header,
 * or answers 401 saying what is missing (GraphQL's error shape on /graphql). WebSocket upgrades
 * do not pass here: subscription-access.ts checks those.
 */
export function httpAuthentication(authenticator: Authenticator, graphqlPath = '/graphql') {
  return (request: AuthenticatedRequest, response: JsonResponse, next: NextFunction): void => {
    // Apollo's landing page (a GET with no operation) carries no data; operations without a
    // caller are refused by the schema (apply-access-control.ts).
    if (request.method === 'GET' && request.baseUrl === graphqlPath && !request.query.query) {
      return next();
    }
    authenticator.fromAuthorization(request.headers.authorization).then(
      (caller) => {
        request.caller = caller;
        next();
      },
      (error: unknown) => {
        if (!(error instanceof ApiError)) return next(error);
        response.status(401).setHeader('WWW-Authenticate', 'Bearer');
        if (request.baseUrl === graphqlPath) {
          response.json({ errors: [{ message: error.message, extensions: { code: error.code } }] });
        } else {
          response.json({ statusCode: 401, error: 'Unauthorized', message: error.message });
        }
      },
    );
  };
}
