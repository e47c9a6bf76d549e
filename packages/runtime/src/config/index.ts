export {
  CONFIG_ERROR_EXIT_CODE,
  ConfigError,
  type ConfigIssue,
  type ConfigSource,
  formatConfigIssue,
  formatConfigValue,
  HIDDEN_VALUE,
} from "./config-error.js";
export { CONFIG_FILE_EXTENSIONS, parseConfigText } from "./config-file.js";
export {
  applyEnvironment,
  CONFIG_ENVIRONMENT_VARIABLES,
  CONFIG_FILE_ENV,
  type ConfigEnvironmentVariable,
  ENV_VALUE_KINDS,
  type EnvValueKind,
  parseEnvironmentValue,
} from "./env-overrides.js";
export { type LoadConfigOptions, type LoadedConfig, loadConfig } from "./load-config.js";
export { configLeaves, formatConfigPath } from "./paths.js";
export {
  CROSS_FIELD_RULES,
  configReferenceRows,
  EXAMPLE_CONFIG_YAML,
  renderConfigReference,
  renderConfigurationDoc,
} from "./reference.js";
export { effectiveConfigJson, redacted, renderEffectiveConfig } from "./render.js";
export { withConfigReference } from "./runbook-section.js";
export {
  type BrokerConfig,
  brokerConfigSchema,
  checkTraderConfig,
  type DataConfig,
  DEFAULT_TRADER_CONFIG,
  dataConfigSchema,
  LINKED_SETTINGS,
  type TraderConfig,
  type TraderConfigInput,
  traderConfigObjectSchema,
  traderConfigSchema,
} from "./schema.js";
