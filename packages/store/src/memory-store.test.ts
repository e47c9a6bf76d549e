import { describeEventStoreContract } from "./contract/index.js";
import { createMemoryStore } from "./memory-store.js";

describeEventStoreContract("memory store", () => createMemoryStore());
