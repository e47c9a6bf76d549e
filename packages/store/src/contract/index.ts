export { describeEventStoreContract, type EventStoreFactory } from "./event-store-contract.js";
