import { z } from "zod";

/** The broker call breaker's numbers (SPEC §5); each is a default the config may override. */
export const brokerBreakerConfigSchema = z
  .object({
    /** Consecutive failed calls that open the circuit. */
    failureThreshold: z.number().int().min(1).default(5),
    /** How long the circuit stays open the first time before a trial call, in ms. */
    recoveryMs: z.number().int().positive().default(60_000),
    /** Each re-open (a failed trial) multiplies the previous timeout by this. */
    backoffMultiplier: z.number().min(1).default(2),
    /** The longest the circuit stays open before a trial call, in ms. */
    maxRecoveryMs: z
      .number()
      .int()
      .positive()
      .default(15 * 60_000),
  })
  .refine((config) => config.recoveryMs <= config.maxRecoveryMs, {
    message: "recoveryMs must not exceed maxRecoveryMs",
    path: ["maxRecoveryMs"],
  });

export type BrokerBreakerConfig = z.infer<typeof brokerBreakerConfigSchema>;
export type BrokerBreakerConfigInput = z.input<typeof brokerBreakerConfigSchema>;

/** 5 consecutive failures; open 60 s, doubling on each re-open, at most 15 minutes. */
export const DEFAULT_BROKER_BREAKER_CONFIG: BrokerBreakerConfig = brokerBreakerConfigSchema.parse(
  {},
);
