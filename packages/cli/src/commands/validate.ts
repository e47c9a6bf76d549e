import {
  readValidation,
  renderValidation,
  typedAccountStore,
  ValidationInputError,
  validateDay,
} from "@trader/runtime";
import {
  cliEngine,
  type GlobalOptions,
  ledgerOf,
  loadMarket,
  resolveDate,
  systemClock,
  withStore,
} from "../context.js";
import { CliError, EXIT_CODES } from "../exit-codes.js";
import { createOutput } from "../output.js";

export interface ValidateOptions extends GlobalOptions {
  readonly date?: string;
  /** Only show the recorded report; never validate. */
  readonly show?: boolean;
}

/**
 * `trader validate --date d` (SPEC §13): re-decide the day's decision run with the official
 * close instead of the intraday quote, classify GREEN / YELLOW / RED, append the report (once)
 * and print it with the rolling 20-session view. A day already validated shows its report.
 */
export async function validateCommand(options: ValidateOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  const engine = cliEngine(options);
  const account = ledgerOf(engine, options);
  const date = resolveDate(engine, options.date ?? "last-session");
  const report = await withStore(engine, Boolean(options.show), async (raw) => {
    const store = typedAccountStore(raw);
    const recorded = await readValidation(store, account, date);
    if (recorded || options.show) {
      if (!recorded) {
        throw new CliError(
          `${account} ${date}: not validated yet (run trader validate --date ${date})`,
          EXIT_CODES.usage,
        );
      }
      return recorded;
    }
    const official = await loadMarket(engine, date);
    try {
      const outcome = await validateDay(
        store,
        engine.model,
        engine.strategies,
        engine.settings.pipeline,
        account,
        date,
        official,
        { clock: systemClock },
      );
      return outcome.report;
    } catch (error) {
      if (error instanceof ValidationInputError)
        throw new CliError(error.message, EXIT_CODES.usage);
      throw error;
    }
  });
  output.result(report, () => renderValidation(report));
  return report.status === "RED" ? EXIT_CODES.problemFound : EXIT_CODES.ok;
}
