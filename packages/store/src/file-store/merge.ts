import type { RecordedEvent } from "../port.js";

/** One stream's events in position order, opened only when the merge needs them. */
export interface MergeSource {
  /** The position of the source's first event (a lower bound is enough). */
  readonly first: number;
  open(): AsyncIterator<RecordedEvent>;
}

interface Head {
  event: RecordedEvent;
  readonly rest: AsyncIterator<RecordedEvent>;
}

/**
 * Merges sources into one position order. A source is opened only once the merge reaches its
 * first position, so of a store's many day streams only those whose positions overlap are open
 * at once. Two events at the same position are corruption: `duplicate` makes the error.
 */
export async function* mergeByPosition(
  sources: readonly MergeSource[],
  duplicate: (earlier: RecordedEvent, later: RecordedEvent) => Error,
): AsyncGenerator<RecordedEvent> {
  const waiting = [...sources].sort((a, b) => a.first - b.first);
  const heads: Head[] = [];
  let opened = 0;
  try {
    for (;;) {
      const lowest = lowestHead(heads, duplicate);
      const next = waiting[opened];
      if (next && (!lowest || next.first <= lowest.event.position)) {
        opened++;
        const rest = next.open();
        const first = await rest.next();
        if (!first.done) heads.push({ event: first.value, rest });
        continue;
      }
      if (!lowest) return;
      yield lowest.event;
      const following = await lowest.rest.next();
      if (following.done) heads.splice(heads.indexOf(lowest), 1);
      else lowest.event = following.value;
    }
  } finally {
    await Promise.all(heads.map((head) => head.rest.return?.()));
  }
}

function lowestHead(
  heads: readonly Head[],
  duplicate: (a: RecordedEvent, b: RecordedEvent) => Error,
) {
  let lowest: Head | undefined;
  for (const head of heads) {
    if (!lowest || head.event.position < lowest.event.position) lowest = head;
    else if (head.event.position === lowest.event.position)
      throw duplicate(lowest.event, head.event);
  }
  return lowest;
}
