export * from "./alpaca/index.js";
export {
  type CallBreakerBroker,
  type CallBreakerOptions,
  isBrokerCallFailure,
  withCallBreaker,
} from "./call-breaker.js";
export {
  DRY_RUN_PREFIX,
  type DryRunBroker,
  type DryRunGuardOptions,
  dryRunGuard,
  dryRunStreamName,
} from "./dry-run-guard.js";
export {
  BROKER_METHODS,
  type BrokerMethod,
  type Fault,
  type FaultCall,
  type FaultKind,
  type FaultPlan,
  type FaultRule,
  type FaultyBroker,
  type InjectedFault,
  withFaults,
} from "./faults.js";
export {
  DECISION_PRICE_FILL_MODEL,
  type DecisionPriceFillModelOptions,
  decisionPriceFillModel,
  type FillModel,
} from "./fill-model.js";
export {
  openPaperSimulator,
  type PaperSimulator,
  type PaperSimulatorBehaviour,
  type PaperSimulatorOptions,
  SIMULATOR_NAME,
  simulatorStreamName,
} from "./paper-simulator.js";
export * from "./port.js";
export {
  SIM_EVENT_REGISTRY,
  SIM_EVENTS,
  SimAccountOpened,
  type SimEvent,
  SimOrderAccepted,
  SimOrderCanceled,
  SimOrderExpired,
  SimOrderFilled,
  SimOrderRejected,
} from "./simulated/events.js";
export { INSUFFICIENT_BUYING_POWER, INSUFFICIENT_QUANTITY } from "./simulated/ledger.js";
export { requireInstant, validateSubmitRequest } from "./validate-request.js";
