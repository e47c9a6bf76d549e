export {
  type BrokerContractFactory,
  type BrokerContractOptions,
  type BrokerContractSetup,
  type BrokerUnderTest,
  DEFAULT_BROKER_CONTRACT_SETUP,
  describeBrokerContract,
} from "./broker-contract.js";
