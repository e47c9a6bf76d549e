export { type FileEventStore, type FileStoreOptions, openFileStore } from "./file-store.js";
export { GENESIS } from "./line-format.js";
export { LOCK_FILE, type LockHolder } from "./lock.js";
export type { RepairedTail, RepairReport, StreamReport, VerifyReport } from "./reports.js";
export { decodeStreamName, encodeStreamName, streamFileName } from "./stream-names.js";
