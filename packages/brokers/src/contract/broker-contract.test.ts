import { manualClock } from "@trader/core";
import { createMemoryStore } from "@trader/store";
import { withCallBreaker } from "../call-breaker.js";
import { dryRunGuard } from "../dry-run-guard.js";
import { decisionPriceFillModel } from "../fill-model.js";
import { openPaperSimulator } from "../paper-simulator.js";
import { describeBrokerContract } from "./index.js";

const START = "2026-03-02T14:30:00Z";

describeBrokerContract("paper simulator", async ({ initialCashCents }) => ({
  broker: await openPaperSimulator({
    store: createMemoryStore(),
    account: "contract",
    clock: manualClock(START),
    initialCashCents,
    fillModel: decisionPriceFillModel({ slippageBps: 5, noiseBps: 10 }),
  }),
}));

describeBrokerContract("dry-run guard over a paper simulator", async ({ initialCashCents }) => {
  const store = createMemoryStore();
  const clock = manualClock(START);
  const inner = await openPaperSimulator({ store, account: "contract", clock, initialCashCents });
  return { broker: await dryRunGuard(inner, { store, account: "contract", clock }) };
});

describeBrokerContract("paper simulator behind the call breaker", async ({ initialCashCents }) => {
  const clock = manualClock(START);
  const inner = await openPaperSimulator({
    store: createMemoryStore(),
    account: "contract",
    clock,
    initialCashCents,
  });
  return { broker: withCallBreaker(inner, { clock, record: () => {} }) };
});
