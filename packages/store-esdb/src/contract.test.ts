import { describeEventStoreContract } from "@trader/store/contract";
import { describe } from "vitest";
import { CONNECTION_ENV } from "./errors.js";
import { createEsdbStore } from "./esdb-store.js";

const connectionString = process.env[CONNECTION_ENV];

if (!connectionString) {
  console.info(
    `store-esdb contract suite skipped: ${CONNECTION_ENV} is not set (no KurrentDB server can run on these machines: no Docker engine, no package)`,
  );
}

describe.skipIf(!connectionString)("KurrentDB store (needs a server)", () => {
  describeEventStoreContract("esdb", () =>
    createEsdbStore({ connectionString: connectionString as string }),
  );
});
