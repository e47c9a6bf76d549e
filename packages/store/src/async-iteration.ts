/**
 * Cheap per-item async iteration. An async generator costs a promise and a resumption per item
 * and per layer of `yield*`; reading a million events, that overhead rivals the work. Readers
 * produce whole blocks of items instead, and these iterators hand them out one by one.
 */

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** The items of each batch in turn. A batch source that throws fails the read after the items before. */
export function flattenBatches<T>(batches: AsyncIterator<readonly T[]>): AsyncIterableIterator<T> {
  let batch: readonly T[] = [];
  let index = 0;
  let pulling: Promise<IteratorResult<T>> | undefined;
  const pull = async (): Promise<IteratorResult<T>> => {
    for (;;) {
      const next = await batches.next();
      if (next.done) return DONE;
      batch = next.value;
      index = 0;
      if (batch.length > 0) return { done: false, value: batch[index++] as T };
    }
  };
  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => iterator,
    next() {
      if (pulling) return pulling.then(() => iterator.next()); // a caller that did not wait
      if (index < batch.length) return Promise.resolve({ done: false, value: batch[index++] as T });
      pulling = pull().finally(() => {
        pulling = undefined;
      });
      return pulling;
    },
    async return() {
      batch = [];
      await batches.return?.();
      return DONE;
    },
  };
  return iterator;
}

export function emptyIterator<T>(): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => iterator,
    next: () => Promise.resolve(DONE),
  };
  return iterator;
}

/** An iterable that starts (and checks its arguments) when iteration begins; a failure to start rejects the first next(). */
export function deferred<T>(start: () => AsyncIterator<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      try {
        return start();
      } catch (error) {
        return { next: () => Promise.reject(error) };
      }
    },
  };
}

export function mapAsync<T, U>(
  source: AsyncIterable<T>,
  transform: (item: T) => U,
): AsyncIterable<U> {
  return {
    [Symbol.asyncIterator]() {
      const items = source[Symbol.asyncIterator]();
      return {
        next: () =>
          items
            .next()
            .then((result) =>
              result.done ? DONE : { done: false, value: transform(result.value) },
            ),
        return: async () => {
          await items.return?.();
          return DONE;
        },
      };
    },
  };
}
