import {
  Kind,
  OperationTypeNode,
  getOperationAST,
  print,
  subscribe,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import type { Caller } from '../access/caller';
import { ApiError } from '../graphql/api-error';
import { operationLimitErrors, type OperationLimits } from '../graphql/limits/operation-limits';
import { BoundedQueue, QueueOverflowError } from './bounded-queue';
import { promptReturn, type Stoppable } from './prompt-return';

type Results = AsyncGenerator<ExecutionResult> | Stoppable<ExecutionResult>;

/** Longest stretch the shared execution runs before letting I/O through. */
const YIELD_AFTER_MS = 5;

/**
 * graphql-js executes a subscription's selection once per subscriber per event; a hundred
 * browsers charting one run would run the same execution a hundred times. Subscribers whose
 * operation, variables and (resumed) position are the same get one execution here, whose
 * results are handed to each of them through a bounded queue of their own: a slow one is cut
 * off alone. A resuming subscriber (afterPosition given) replays its own history, so it gets
 * an execution of its own.
 */
export class SharedSubscriptions {
  private readonly hubs = new Map<string, Promise<Hub | ExecutionResult>>();

  constructor(
    private readonly bufferLimit: number,
    private readonly limits: OperationLimits,
  ) {}

  /** How many executions currently serve subscribers (for tests and status). */
  get executions(): number {
    return this.hubs.size;
  }

  /** graphql-ws's `subscribe`: the shared execution's results for this subscriber. */
  readonly subscribe = async (args: ExecutionArgs): Promise<Results | ExecutionResult> => {
    // The same limits as HTTP operations (graphql-ws has validated the document, not these).
    const refused = operationLimitErrors(
      args.schema,
      args.document,
      args.variableValues,
      this.limits,
    );
    if (refused.length > 0) return { errors: refused };
    const key = shareKey(args);
    if (key === null) return subscribe(args) as Promise<Results | ExecutionResult>;
    let hub = this.hubs.get(key);
    if (!hub) {
      hub = (async () => {
        const result = await subscribe(args);
        if (!(Symbol.asyncIterator in result)) return result;
        return new Hub(result as Results, () => this.hubs.delete(key));
      })();
      this.hubs.set(key, hub);
    }
    const ready = await hub;
    if (!(ready instanceof Hub)) {
      this.hubs.delete(key); // an error answer is not kept for the next subscriber
      return ready;
    }
    return ready.join(this.bufferLimit);
  };
}

/** One execution's results, handed to every subscriber that joined it. */
class Hub {
  private readonly queues = new Set<BoundedQueue<ExecutionResult>>();
  private started = false;
  private closed = false;

  constructor(
    private readonly source: Results,
    private readonly onClose: () => void,
  ) {}

  join(bufferLimit: number): Stoppable<ExecutionResult> {
    const queue = new BoundedQueue<ExecutionResult>(
      bufferLimit,
      () =>
        new QueueOverflowError(
          `subscriber too slow: more than ${bufferLimit} results waited to be sent; resubscribe (with afterPosition where the field takes it) to continue`,
        ),
    );
    this.queues.add(queue);
    if (!this.started) {
      this.started = true;
      void this.pump();
    }
    const leave = () => {
      queue.close();
      this.queues.delete(queue);
      if (this.queues.size === 0) this.close();
    };
    async function* results(): AsyncGenerator<ExecutionResult> {
      try {
        for await (const result of queue) yield result;
      } catch (error) {
        if (error instanceof QueueOverflowError)
          throw new ApiError('SUBSCRIBER_TOO_SLOW', error.message);
        throw error;
      } finally {
        leave();
      }
    }
    return promptReturn(results(), leave);
  }

  private async pump(): Promise<void> {
    try {
      let since = performance.now();
      for await (const result of this.source) {
        for (const queue of this.queues) queue.push(result);
        // A feed read hands out up to 2,000 rows at once, all ready: executing them back to back
        // would hold the event loop (and every socket's writes) until the last one is done.
        if (performance.now() - since > YIELD_AFTER_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          since = performance.now();
        }
      }
      for (const queue of this.queues) queue.end();
    } catch (error) {
      for (const queue of this.queues) queue.fail(error as Error);
    } finally {
      this.close();
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    void this.source.return(undefined);
  }
}

/**
 * The sharing key of a subscription: its printed document, operation name, variables and the
 * caller's grants (what one caller may not see must not reach another through a shared
 * execution); null when it must run on its own (not a subscription, or resuming from a position).
 */
export function shareKey(args: ExecutionArgs): string | null {
  const operation = getOperationAST(args.document, args.operationName);
  if (!operation || operation.operation !== OperationTypeNode.SUBSCRIPTION) return null;
  const variables = args.variableValues ?? {};
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) return null;
    for (const argument of selection.arguments ?? []) {
      if (argument.name.value !== 'afterPosition') continue;
      const value = argument.value;
      if (
        value.kind === Kind.VARIABLE
          ? variables[value.name.value] != null
          : value.kind !== Kind.NULL
      )
        return null;
    }
  }
  const caller = (args.contextValue as { caller?: Caller } | undefined)?.caller;
  if (!caller) return null;
  return JSON.stringify([
    args.operationName ?? null,
    print(args.document),
    variables,
    [...caller.scopes].sort(),
    caller.grantKey,
  ]);
}
