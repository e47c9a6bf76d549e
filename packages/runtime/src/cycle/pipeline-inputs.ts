import {
  type AccountMachines,
  type AccountState,
  type Bar,
  governorView,
  type Mode,
  type PipelineInputs,
  positionViews,
  sizingMultiplier,
} from "@trader/core";

/** What a run recorded before deciding, as the pipeline needs it. */
export interface RecordedRunInputs {
  readonly runId: string;
  readonly mode: Mode;
  readonly tradingDate: string;
  readonly at: string;
  readonly window: Readonly<Record<string, readonly Bar[]>>;
  readonly quotes: PipelineInputs["quotes"];
  readonly buyingPowerCents: number;
}

/**
 * The pipeline's inputs from the account's state just before the decision and the run's
 * recorded inputs. The cycle and `redecide` both call this, so a replay decides from exactly
 * what the run decided from.
 */
export function pipelineInputsFor(
  state: AccountState,
  recorded: RecordedRunInputs,
  machines: AccountMachines,
): PipelineInputs {
  const dayStart = state.priorCloseEquity ?? state.equity;
  return {
    runId: recorded.runId,
    mode: recorded.mode,
    tradingDate: recorded.tradingDate,
    at: recorded.at,
    history: recorded.window,
    ...(recorded.quotes ? { quotes: recorded.quotes } : {}),
    account: {
      cashCents: state.cashCents,
      positions: positionViews(state),
      dayStartEquityCents: dayStart?.cents ?? state.cashCents,
      buyingPowerCents: recorded.buyingPowerCents,
    },
    safety: {
      killSwitch: state.killSwitch,
      tradingBreaker: state.tradingBreaker,
      governor: governorView(state.governor),
    },
    sizingMultiplier: sizingMultiplier(state.governor),
    pendingSignals: { decider: machines.pendingSignals, state: state.pendingSignals },
  };
}
