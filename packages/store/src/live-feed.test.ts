import { firstValueFrom, take, timeout, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { LiveFeed } from "./live-feed.js";
import type { RecordedEvent } from "./port.js";

const at = (position: number): RecordedEvent => ({
  stream: "s",
  revision: position,
  position,
  id: `id-${position}`,
  type: "T",
  data: {},
  metadata: {},
});
const positions = (events: readonly RecordedEvent[]) => events.map((event) => event.position);

describe("LiveFeed.catchUpThenLive", () => {
  it("does not repeat events that are both read during catch-up and published live", async () => {
    const feed = new LiveFeed();
    // A read that is not a snapshot: events appended while it runs show up in it too.
    async function* readAll(from: number) {
      for (let position = from; position < 6; position++) {
        if (position === 2) feed.publish([at(4), at(5)]); // appended while catching up
        yield at(position);
      }
    }
    const received = firstValueFrom(
      feed.catchUpThenLive(1, readAll).pipe(take(6), toArray(), timeout(5_000)),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    feed.publish([at(6)]);
    expect(positions(await received)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("does not lose events published during catch-up that the read did not see", async () => {
    const feed = new LiveFeed();
    // A snapshot read: it never sees what is appended after it started.
    async function* readAll(from: number) {
      for (let position = from; position < 3; position++) {
        if (position === 1) feed.publish([at(3), at(4)]);
        await Promise.resolve();
        yield at(position);
      }
    }
    const received = firstValueFrom(
      feed.catchUpThenLive(0, readAll).pipe(take(6), toArray(), timeout(5_000)),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    feed.publish([at(5)]);
    expect(positions(await received)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("stops reading when the subscriber unsubscribes during catch-up", async () => {
    const feed = new LiveFeed();
    let reads = 0;
    let finished = false;
    async function* readAll() {
      try {
        for (let position = 0; position < 1000; position++) {
          reads++;
          await new Promise((resolve) => setTimeout(resolve, 1));
          yield at(position);
        }
      } finally {
        finished = true;
      }
    }
    const subscription = feed.catchUpThenLive(0, readAll).subscribe();
    await new Promise((resolve) => setTimeout(resolve, 20));
    subscription.unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(finished).toBe(true);
    expect(reads).toBeLessThan(1000);
    expect(feed.hasListeners).toBe(false);
  });

  it("passes a read failure on as the subscription's error", async () => {
    const feed = new LiveFeed();
    async function* readAll() {
      yield at(0);
      throw new Error("disk on fire");
    }
    await expect(firstValueFrom(feed.catchUpThenLive(0, readAll).pipe(toArray()))).rejects.toThrow(
      "disk on fire",
    );
  });

  it("completes subscriptions on close and refuses new ones after", async () => {
    const feed = new LiveFeed();
    async function* readAll() {}
    const received = firstValueFrom(feed.catchUpThenLive(0, readAll).pipe(toArray()));
    await new Promise((resolve) => setTimeout(resolve, 5));
    feed.publish([at(0)]);
    feed.close();
    expect(positions(await received)).toEqual([0]);
    await expect(firstValueFrom(feed.catchUpThenLive(0, readAll))).rejects.toThrow(/closed/);
  });
});
