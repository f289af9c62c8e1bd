/** An async iterator that graphql-ws and graphql-js can end (they call `return`). */
export type Stoppable<T> = AsyncIterableIterator<T> & {
  return(value?: unknown): Promise<IteratorResult<T>>;
  throw(error?: unknown): Promise<IteratorResult<T>>;
};

/**
 * `generator`, ended at once when its consumer stops: an async generator waiting for its next
 * item would only run `return` after that item came, and a quiet run can keep a finished
 * subscription attached for minutes. `stop` makes the wait end (closes what it waits on).
 */
export function promptReturn<T>(generator: AsyncGenerator<T>, stop: () => void): Stoppable<T> {
  const iterator: Stoppable<T> = {
    next: () => generator.next(),
    return: (value?: unknown) => {
      stop();
      return generator.return(value);
    },
    throw: (error?: unknown) => {
      stop();
      return generator.throw(error);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
