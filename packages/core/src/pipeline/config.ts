import { z } from "zod";
import { parseConfig } from "../config/parse-config.js";
import { rebalanceConfigSchema } from "../execution/rebalance-planner.js";
import { dataQualityConfigSchema } from "../gates/data-quality/config.js";
import { corporateActionConfigSchema } from "../market/corporate-actions.js";
import { crossSourceConfigSchema } from "../market/cross-source.js";
import { riskConfigSchema } from "../risk/config.js";
import { correlationSizingConfigSchema } from "../risk/correlation-sizing.js";

/** Everything the decision pipeline is configured by; each part has its own defaults. */
export const pipelineConfigSchema = z.object({
  dataQuality: dataQualityConfigSchema.default(dataQualityConfigSchema.parse({})),
  correlation: correlationSizingConfigSchema.default(correlationSizingConfigSchema.parse({})),
  risk: riskConfigSchema.default(riskConfigSchema.parse({})),
  rebalance: rebalanceConfigSchema.default(rebalanceConfigSchema.parse({})),
  corporateActions: corporateActionConfigSchema.default(corporateActionConfigSchema.parse({})),
  crossSource: crossSourceConfigSchema.default(crossSourceConfigSchema.parse({})),
  /** Daily returns used for correlation (CORRELATION stage), volatility and VaR (RISK stage). */
  returnLookbackDays: z.number().int().min(20).default(60),
  varLookbackDays: z.number().int().min(20).default(250),
  volatilityDays: z.number().int().min(2).default(21),
  /** Regimes in which a strategy must not add risk: strategy name → regime labels. */
  disabledRegimes: z.record(z.string(), z.array(z.string())).default({}),
});

export type PipelineConfig = z.output<typeof pipelineConfigSchema>;
export type PipelineConfigInput = z.input<typeof pipelineConfigSchema>;

export const DEFAULT_PIPELINE_CONFIG: PipelineConfig = pipelineConfigSchema.parse({});

export function parsePipelineConfig(input: PipelineConfigInput = {}): PipelineConfig {
  return parseConfig("pipeline", pipelineConfigSchema, input);
}
