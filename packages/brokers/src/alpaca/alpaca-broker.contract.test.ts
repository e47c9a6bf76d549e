import { dollarsFromCents } from "@trader/core";
import { describeBrokerContract } from "../contract/index.js";
import { createAlpacaBroker } from "./alpaca-broker.js";
import { startMockAlpacaServer } from "./mock-alpaca-server.js";

// The same contract the simulator passes, against the adapter and the mock Alpaca on 127.0.0.1.
describeBrokerContract("alpaca (mock server)", async ({ initialCashCents }) => {
  const cash = dollarsFromCents(initialCashCents).toFixed(2);
  const server = await startMockAlpacaServer({
    account: { cash, equity: cash, buying_power: cash },
  });
  const broker = createAlpacaBroker({
    keyId: server.keyId,
    secret: server.secret,
    paper: true,
    baseUrl: server.baseUrl,
    timeoutMs: 2_000,
  });
  return {
    broker,
    setPrice: (symbol, price) => server.setPrice(symbol, price),
    close: () => server.close(),
  };
});
