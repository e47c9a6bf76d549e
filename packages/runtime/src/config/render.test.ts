import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";
import { configLeaves } from "./paths.js";
import { effectiveConfigJson, renderEffectiveConfig } from "./render.js";

const loaded = loadConfig({
  file: "trader.yaml",
  readFile: () => "account: acct-1\nstore:\n  kind: esdb\n",
  env: {
    DRAWDOWN_HALT_THRESHOLD: "0.07",
    KURRENTDB_CONNECTION_STRING: "kurrentdb://admin:changeit@db:2113?tls=true",
  },
});

describe("renderEffectiveConfig", () => {
  const table = renderEffectiveConfig(loaded);
  const rows = table.split("\n").slice(2);

  it("has one row per leaf setting, after a summary and a header", () => {
    expect(rows).toHaveLength(configLeaves(loaded.config).length);
    expect(table.split("\n")[0]).toBe(
      `effective configuration: ${rows.length} settings (file trader.yaml; environment overrides win)`,
    );
    expect(table.split("\n")[1]).toMatch(/^setting\s+value\s+source$/);
  });

  it("shows each setting's value and where it came from", () => {
    const row = (path: string) => rows.find((line) => line.startsWith(`${path} `));
    expect(row("account")).toMatch(/^account\s+acct-1\s+file trader\.yaml$/);
    expect(row("governor.haltDrawdown")).toMatch(/\s0\.07\s+env DRAWDOWN_HALT_THRESHOLD$/);
    expect(row("governor.panicDrawdown")).toMatch(/\s0\.1\s+default$/);
    expect(row("strategyDisabledList")).toMatch(/\s\[\]\s+default$/);
  });

  it("masks the password in a connection string", () => {
    expect(table).toContain("kurrentdb://admin:***@db:2113?tls=true");
    expect(table).not.toContain("changeit");
  });
});

describe("effectiveConfigJson", () => {
  it("is { config, sources } as JSON, with the password masked", () => {
    const json = effectiveConfigJson(loaded);
    expect(json).not.toContain("changeit");
    const parsed = JSON.parse(json);
    expect(parsed.sources).toEqual(loaded.sources);
    expect(parsed.config).toEqual({
      ...loaded.config,
      store: { kind: "esdb", connectionString: "kurrentdb://admin:***@db:2113?tls=true" },
    });
  });
});
