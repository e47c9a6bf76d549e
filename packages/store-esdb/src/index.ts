export { type DecodedEvent, decodeEvent, encodeEvent, type MetadataEnvelope } from "./codec.js";
export {
  type OpenStoreOptions,
  openStoreFromConfig,
  type StoreConfig,
  storeConfigSchema,
} from "./config.js";
export {
  fromCurrentState,
  fromStreamState,
  type NativePosition,
  toBigInt,
  toNativePosition,
  toPortNumber,
  toPosition,
  toRevision,
  toStreamState,
} from "./conversions.js";
export {
  CONNECTION_ENV,
  EsdbUnavailableError,
  hostOf,
  isUnavailable,
  translateError,
} from "./errors.js";
export {
  assertReachable,
  createEsdbStore,
  type EsdbEventStore,
  type EsdbStoreOptions,
} from "./esdb-store.js";
export { type ResubscribeOptions, resubscribing, type SubscriptionSource } from "./resubscribe.js";
