import { afterAll } from "vitest";
import { describeEventStoreContract } from "../contract/index.js";
import { tempDirs } from "../testing/temp-dirs.js";
import { openFileStore } from "./file-store.js";

const dirs = tempDirs("contract");
afterAll(() => dirs.removeAll());

describeEventStoreContract("file store", async () => openFileStore({ dir: await dirs.make() }));
