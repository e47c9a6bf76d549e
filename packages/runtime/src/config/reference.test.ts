import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_ENVIRONMENT_VARIABLES } from "./env-overrides.js";
import { loadConfig } from "./load-config.js";
import {
  CROSS_FIELD_RULES,
  configReferenceRows,
  EXAMPLE_CONFIG_YAML,
  renderConfigurationDoc,
} from "./reference.js";
import { checkTraderConfig } from "./schema.js";

describe("docs/configuration.md", () => {
  it("is exactly what packages/runtime/scripts/docs-configuration.ts generates (run it after changing the config)", () => {
    const committed = readFileSync(
      new URL("../../../../docs/configuration.md", import.meta.url),
      "utf8",
    );
    expect(committed).toBe(renderConfigurationDoc());
  });
});

describe("the configuration reference", () => {
  const rows = configReferenceRows();

  it("describes every setting", () => {
    expect(rows.filter((row) => row.description === "").map((row) => row.path)).toEqual([]);
  });

  it("lists the spec's settings with their defaults and rules", () => {
    const halt = rows.find((row) => row.path === "governor.haltDrawdown");
    expect(halt).toMatchObject({
      environment: ["DRAWDOWN_HALT_THRESHOLD"],
      defaultValue: "0.08",
      rule: "number, 0 < x < 1",
    });
    expect(rows.find((row) => row.path === "broker.paper")).toMatchObject({
      variant: { discriminator: "broker.kind", tag: "alpaca" },
      defaultValue: "true",
    });
    expect(rows.find((row) => row.path === "data.dir")?.defaultValue).toBe("required");
  });

  it("points every environment variable at a real setting", () => {
    const paths = new Set(rows.map((row) => row.path));
    for (const variable of CONFIG_ENVIRONMENT_VARIABLES) {
      if (variable.path !== null) expect(paths, variable.name).toContain(variable.path);
    }
  });

  it.each(CROSS_FIELD_RULES.map((rule) => [rule.example.field, rule] as const))(
    "enforces the cross-field rule it documents (reported on %s)",
    (field, { example }) => {
      const checked = checkTraderConfig(example.input);
      if (checked.ok) throw new Error(`${field}: the example was accepted`);
      expect(checked.problems.map((p) => p.path.join("."))).toContain(field);
    },
  );

  it("has an example config file that loads", () => {
    const loaded = loadConfig({
      file: "trader.yaml",
      env: {},
      readFile: () => EXAMPLE_CONFIG_YAML,
    });
    expect(loaded.config.broker).toEqual({ kind: "alpaca", paper: true, timeoutMs: 10_000 });
    expect(loaded.config.strategies.map((s) => s.name)).toEqual([
      "hierarchical-adaptive-v3.5b",
      "sma-crossover",
    ]);
  });
});
