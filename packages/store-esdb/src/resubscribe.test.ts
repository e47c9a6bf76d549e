import { describe, expect, it } from "vitest";
import { resubscribing, type SubscriptionSource } from "./resubscribe.js";

interface Item {
  readonly position: number;
}

class Dropped extends Error {
  readonly type = "unavailable";
}

/**
 * A scripted log of positions 0, 10, 20…; each open delivers from after the given item and then
 * follows its script: drop after n events, or end. Records where each open started.
 */
function scriptedSource(
  size: number,
  script: (number | "end")[],
): SubscriptionSource<Item> & {
  opens: (number | undefined)[];
} {
  const log = Array.from({ length: size }, (_, i) => ({ position: i * 10 }));
  const opens: (number | undefined)[] = [];
  return {
    opens,
    async *open(after) {
      opens.push(after?.position);
      const step = script[opens.length - 1] ?? "end";
      // Like a real catch-up, a reopened source may resend the event it resumed after.
      const start = after === undefined ? 0 : log.findIndex((e) => e.position === after.position);
      let sent = 0;
      for (const item of log.slice(start)) {
        if (step !== "end" && sent === step) throw new Dropped("connection dropped");
        sent++;
        yield item;
      }
    },
  };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

const noSleep = async () => undefined;

describe("resubscribing", () => {
  it("resumes after each drop from the last delivered event: nothing lost, nothing repeated", async () => {
    const source = scriptedSource(20, [5, 3, 0, 7, "end"]);
    const resubscribed: number[] = [];
    const delivered = await collect(
      resubscribing({
        source,
        positionOf: (e) => e.position,
        fromPosition: 0,
        isDrop: (error) => error instanceof Dropped,
        sleep: noSleep,
        onResubscribe: (attempt) => resubscribed.push(attempt),
      }),
    );
    expect(delivered.map((e) => e.position)).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    expect(source.opens).toEqual([undefined, 40, 60, 60, 120]);
    expect(resubscribed).toEqual([1, 1, 2, 1]);
  });

  it("starts at fromPosition, inclusive, even between the log's positions", async () => {
    const delivered = await collect(
      resubscribing({
        source: scriptedSource(10, [2, "end"]),
        positionOf: (e) => e.position,
        fromPosition: 35,
        isDrop: () => true,
        sleep: noSleep,
      }),
    );
    expect(delivered.map((e) => e.position)).toEqual([40, 50, 60, 70, 80, 90]);
  });

  it("gives up after maxAttempts drops in a row, with the source's error", async () => {
    const waits: number[] = [];
    const run = collect(
      resubscribing({
        source: scriptedSource(5, [0, 0, 0, 0]),
        positionOf: (e) => e.position,
        fromPosition: 0,
        isDrop: () => true,
        maxAttempts: 3,
        sleep: async (ms) => {
          waits.push(ms);
        },
      }),
    );
    await expect(run).rejects.toThrow("connection dropped");
    expect(waits).toEqual([100, 200, 400]);
  });

  it("does not resubscribe after an error that is not a drop", async () => {
    const source = scriptedSource(5, [1]);
    const run = collect(
      resubscribing({
        source,
        positionOf: (e) => e.position,
        fromPosition: 0,
        isDrop: () => false,
        sleep: noSleep,
      }),
    );
    await expect(run).rejects.toBeInstanceOf(Dropped);
    expect(source.opens).toEqual([undefined]);
  });
});
