/**
 * Runs tasks one at a time in call order: each read-decide-append of a simulated account sees
 * the state the previous one left, even when callers do not wait for each other.
 */
export type SerialQueue = <T>(task: () => Promise<T>) => Promise<T>;

export function serialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}
