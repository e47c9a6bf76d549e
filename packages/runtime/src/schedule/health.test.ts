import { randomUUID } from "node:crypto";
import { appendFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BrokerError } from "@trader/brokers";
import {
  createNyseCalendar,
  fixedClock,
  NYSE_EARLY_CLOSE_EXCEPTIONS,
  NYSE_SPECIAL_CLOSURES,
  nyseCalendar,
  parseIsoInstant,
} from "@trader/core";
import { type FileEventStore, openFileStore } from "@trader/store";
import { afterEach, describe, expect, it } from "vitest";
import { type HealthCheckOptions, healthCheck, scheduleSanity } from "./health.js";

const nyse = nyseCalendar();
const dirs: string[] = [];
const stores: FileEventStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A durable store with one day's stream holding one event. */
async function storeWithOneDay() {
  const dir = await mkdtemp(join(tmpdir(), "trader-health-"));
  dirs.push(dir);
  const store = await openFileStore({ dir });
  stores.push(store);
  await store.append(
    "acct-1-2026-11-19",
    [{ id: randomUUID(), type: "Note", data: { text: "hello" }, metadata: {} }],
    { expectedRevision: "no_stream" },
  );
  return { dir, store };
}

const answeringBroker = {
  name: "simulator",
  account: async () => ({
    cashCents: 10_000_000,
    equityCents: 10_000_000,
    buyingPowerCents: 10_000_000,
  }),
};

async function check(overrides: Partial<HealthCheckOptions> = {}) {
  const { dir, store } = await storeWithOneDay();
  return healthCheck({
    broker: answeringBroker,
    store,
    storeDir: dir,
    clock: fixedClock("2026-11-20T15:00:00Z"),
    calendar: nyse,
    // The check itself is tested here, not this machine's disk.
    minimumFreeBytes: 1,
    ...overrides,
  });
}

const checkNamed = (report: Awaited<ReturnType<typeof healthCheck>>, name: string) =>
  report.checks.find((entry) => entry.name === name);

describe("healthCheck", () => {
  it("passes the four checks on a healthy system, in order, saying what it saw", async () => {
    const report = await check();
    expect(report.ok).toBe(true);
    expect(report.at).toBe("2026-11-20T15:00:00.000Z");
    expect(report.checks.map((entry) => [entry.name, entry.ok])).toEqual([
      ["broker_connectivity", true],
      ["store_integrity", true],
      ["free_disk", true],
      ["schedule_sanity", true],
    ]);
    expect(checkNamed(report, "broker_connectivity")?.detail).toBe(
      "broker simulator answered (equity $100,000.00)",
    );
    expect(checkNamed(report, "store_integrity")?.detail).toMatch(/^1 stream in .* verified$/);
    expect(checkNamed(report, "schedule_sanity")?.detail).toBe(
      "2026-11-20: 4 steps in order; next: 2026-11-20:preflight at 2026-11-20T20:49:30.000Z (in 5 h 49 min)",
    );
  });

  it("fails broker connectivity when the broker refuses or does not answer", async () => {
    const refusing = {
      name: "alpaca-paper",
      account: async () => {
        throw new BrokerError("unavailable", "HTTP 503 from the broker");
      },
    };
    const refused = await check({ broker: refusing });
    expect(refused.ok).toBe(false);
    expect(checkNamed(refused, "broker_connectivity")).toEqual({
      name: "broker_connectivity",
      ok: false,
      detail: "broker alpaca-paper did not answer: HTTP 503 from the broker",
    });
    const silent = { name: "alpaca-paper", account: () => new Promise<never>(() => {}) };
    const hung = await check({ broker: silent, brokerTimeoutMs: 5 });
    expect(checkNamed(hung, "broker_connectivity")).toMatchObject({ ok: false });
    expect(checkNamed(hung, "broker_connectivity")?.detail).toMatch(
      /did not answer: no answer within/,
    );
  });

  it("fails store integrity on a torn stream file, naming the stream and the line", async () => {
    const { dir, store } = await storeWithOneDay();
    await store.close();
    stores.splice(0);
    await appendFile(join(dir, "streams", "acct-1-2026-11-19.jsonl"), '{"stream":"acct-1-2026-11');
    const reopened = await openFileStore({ dir });
    stores.push(reopened);
    const report = await check({ store: reopened, storeDir: dir });
    expect(report.ok).toBe(false);
    expect(checkNamed(report, "store_integrity")?.detail).toMatch(
      /1 of 1 stream in .* has a problem .*: acct-1-2026-11-19 torn at line 2/,
    );
  });

  it("fails free disk below the minimum (SPEC §12: more than 1 GiB by default)", async () => {
    const report = await check({ minimumFreeBytes: Number.MAX_SAFE_INTEGER });
    expect(checkNamed(report, "free_disk")).toMatchObject({ ok: false });
    expect(report.ok).toBe(false);
  });
});

describe("scheduleSanity", () => {
  it("on Thanksgiving: not a session, the next step is Friday's early pre-flight", () => {
    expect(scheduleSanity(nyse, parseIsoInstant("2026-11-26T17:00:00Z"))).toEqual({
      name: "schedule_sanity",
      ok: true,
      detail:
        "2026-11-26 is not a session; next: 2026-11-27:preflight at 2026-11-27T17:49:30.000Z (in 1 d 0 h)",
    });
  });

  it("passes over Christmas 2026: Thursday's early close to Monday is four dates ahead", () => {
    const verdict = scheduleSanity(nyse, parseIsoInstant("2026-12-24T18:30:00Z"));
    expect(verdict).toMatchObject({ ok: true });
    expect(verdict.detail).toContain("next: 2026-12-28:preflight at 2026-12-28T20:49:30.000Z");
  });

  it("fails when the next step is more than four days away", () => {
    // A calendar with the whole Thanksgiving week closed: Friday 11-20's validation is followed
    // by Friday 11-27's pre-flight, a week later.
    const closedWeek = createNyseCalendar({
      specialClosures: [
        ...NYSE_SPECIAL_CLOSURES,
        ...["2026-11-23", "2026-11-24", "2026-11-25"].map((date) => ({ date, reason: "test" })),
      ],
      earlyCloseExceptions: NYSE_EARLY_CLOSE_EXCEPTIONS,
    });
    const verdict = scheduleSanity(closedWeek, parseIsoInstant("2026-11-20T21:30:00Z"));
    expect(verdict.ok).toBe(false);
    expect(verdict.detail).toBe(
      "2026-11-20: 4 steps in order; next: 2026-11-27:preflight at 2026-11-27T17:49:30.000Z (in 6 d 20 h), 7 days ahead (at most 4)",
    );
  });

  it("fails, saying why, outside the calendar's range", () => {
    const verdict = scheduleSanity(nyse, parseIsoInstant("2040-01-02T15:00:00Z"));
    expect(verdict.ok).toBe(false);
    expect(verdict.detail).toMatch(/^the schedule cannot be computed: .*2035-12-31/);
  });
});
