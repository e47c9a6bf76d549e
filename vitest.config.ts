import { defineConfig } from "vitest/config";

// Workspace packages export their TypeScript source under the "@trader/source"
// condition, so tests run on source with no build step.
export default defineConfig({
  resolve: { conditions: ["@trader/source"] },
  ssr: { resolve: { conditions: ["@trader/source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "scripts/**/*.test.ts"],
    reporters: ["default"],
    testTimeout: 30_000,
  },
});
