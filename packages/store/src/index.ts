export {
  decideAppend,
  type PreparedAppend,
  type PreparedEvent,
  prepareAppend,
  type StreamFacts,
} from "./append-rules.js";
export * from "./file-store/index.js";
export { LiveFeed } from "./live-feed.js";
export { createMemoryStore } from "./memory-store.js";
export * from "./port.js";
export { StreamIndex } from "./stream-index.js";
export {
  createTypedStore,
  type TypedEnvelope,
  type TypedEventStore,
  type TypedRecordedEvent,
} from "./typed-store.js";
