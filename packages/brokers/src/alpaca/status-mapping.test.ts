import { trading } from "@alpacahq/alpaca-trade-api/rest";
import { describe, expect, it } from "vitest";
import { BROKER_ORDER_STATUSES } from "../port.js";
import {
  ALPACA_ORDER_STATUS_MAPPING,
  ALPACA_ORDER_STATUSES,
  brokerOrderStatusFor,
} from "./status-mapping.js";

describe("ALPACA_ORDER_STATUS_MAPPING", () => {
  it("lists exactly the order statuses of the SDK's Trading API model", () => {
    expect([...ALPACA_ORDER_STATUSES].sort()).toEqual(Object.values(trading.OrderStatus).sort());
  });

  it("maps every Alpaca status, and only those, to a port status", () => {
    expect(Object.keys(ALPACA_ORDER_STATUS_MAPPING).sort()).toEqual(
      [...ALPACA_ORDER_STATUSES].sort(),
    );
    for (const status of ALPACA_ORDER_STATUSES) {
      expect(BROKER_ORDER_STATUSES).toContain(ALPACA_ORDER_STATUS_MAPPING[status]);
    }
  });

  it("ends the lifecycle only where Alpaca says no further updates come", () => {
    const terminal = ALPACA_ORDER_STATUSES.filter((status) =>
      ["filled", "canceled", "expired", "rejected"].includes(ALPACA_ORDER_STATUS_MAPPING[status]),
    );
    expect(terminal.sort()).toEqual(["canceled", "expired", "filled", "rejected", "replaced"]);
    expect(ALPACA_ORDER_STATUS_MAPPING.replaced).toBe("canceled");
  });
});

describe("brokerOrderStatusFor", () => {
  it("reports a working order's progress by its filled quantity", () => {
    expect(brokerOrderStatusFor("new", 0, 10)).toBe("accepted");
    expect(brokerOrderStatusFor("done_for_day", 4, 10)).toBe("partially_filled");
    expect(brokerOrderStatusFor("pending_cancel", 4, 10)).toBe("partially_filled");
    expect(brokerOrderStatusFor("calculated", 10, 10)).toBe("filled");
  });

  it("keeps a terminal status whatever filled", () => {
    expect(brokerOrderStatusFor("canceled", 4, 10)).toBe("canceled");
    expect(brokerOrderStatusFor("expired", 0, 10)).toBe("expired");
    expect(brokerOrderStatusFor("rejected", 0, 10)).toBe("rejected");
  });
});
