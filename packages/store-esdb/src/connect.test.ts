import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StoreInputError, StoreStateError } from "@trader/store";
import { firstValueFrom } from "rxjs";
import { afterAll, describe, expect, it } from "vitest";
import { openStoreFromConfig, storeConfigSchema } from "./config.js";
import { EsdbUnavailableError } from "./errors.js";
import { assertReachable, createEsdbStore } from "./esdb-store.js";

// Port 1 on loopback: nothing listens there, so the connection is refused at once.
const CLOSED = "kurrentdb://127.0.0.1:1?tls=false";

describe("an unreachable server", () => {
  it("fails assertReachable fast, naming the host and the hint", async () => {
    const store = createEsdbStore({ connectionString: CLOSED });
    const started = Date.now();
    try {
      const error = await assertReachable(store, 3_000).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EsdbUnavailableError);
      expect((error as Error).message).toContain("127.0.0.1:1");
      expect((error as Error).message).toContain("KURRENTDB_CONNECTION_STRING");
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await store.close();
    }
  });
});

describe("the adapter without a server", () => {
  const event = { id: "3f0c8a52-5d3e-4b7a-9c1e-2a4b6c8d0e1f", type: "T", data: {}, metadata: {} };

  it("an append fails with the host named, not a hang", async () => {
    const store = createEsdbStore({ connectionString: CLOSED });
    try {
      await expect(
        store.append("s", [event], { expectedRevision: "no_stream" }),
      ).rejects.toBeInstanceOf(EsdbUnavailableError);
    } finally {
      await store.close();
    }
  });

  it("checks input before any network call, and refuses use after close", async () => {
    const store = createEsdbStore({ connectionString: CLOSED });
    await expect(store.append("", [event], { expectedRevision: "any" })).rejects.toBeInstanceOf(
      StoreInputError,
    );
    await expect(store.append("s", [], { expectedRevision: "any" })).rejects.toBeInstanceOf(
      StoreInputError,
    );
    await expect(collect(store.readStream("s", { from: -1 }))).rejects.toBeInstanceOf(
      StoreInputError,
    );
    await expect(collect(store.readAll({ fromPosition: Number.NaN }))).rejects.toBeInstanceOf(
      StoreInputError,
    );
    await store.close();
    await expect(store.append("s", [event], { expectedRevision: "any" })).rejects.toBeInstanceOf(
      StoreStateError,
    );
    await expect(store.close()).resolves.toBeUndefined();
    await expect(firstValueFrom(store.subscribe())).rejects.toBeInstanceOf(StoreStateError);
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe("store selection from config", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("validates both kinds", () => {
    expect(storeConfigSchema.parse({ kind: "file", dir: ".trader" })).toEqual({
      kind: "file",
      dir: ".trader",
    });
    expect(
      storeConfigSchema.safeParse({ kind: "esdb", connectionString: "http://x" }).success,
    ).toBe(false);
    expect(storeConfigSchema.safeParse({ kind: "postgres" }).success).toBe(false);
  });

  it("file opens the embedded store on its directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), "store-esdb-config-"));
    dirs.push(dir);
    const store = await openStoreFromConfig({ kind: "file", dir });
    try {
      const result = await store.append(
        "config-check",
        [{ id: "3f0c8a52-5d3e-4b7a-9c1e-2a4b6c8d0e1f", type: "T", data: {}, metadata: {} }],
        { expectedRevision: "no_stream" },
      );
      expect(result).toMatchObject({ nextRevision: 0, written: true });
    } finally {
      await store.close();
    }
  });

  it("esdb with no reachable server fails at start with the host and the hint", async () => {
    await expect(
      openStoreFromConfig(
        { kind: "esdb", connectionString: CLOSED },
        { reachableTimeoutMs: 3_000 },
      ),
    ).rejects.toThrow(/127\.0\.0\.1:1.*KURRENTDB_CONNECTION_STRING/s);
  });

  it("an invalid config fails with what is wrong", async () => {
    await expect(openStoreFromConfig({ kind: "esdb" })).rejects.toThrow(/invalid store config/);
  });
});
