/**
 * What each setting means, for the generated reference. Settings with an environment variable
 * take that variable's description unless listed here. A test fails when a setting has none.
 */
export const SETTING_DESCRIPTIONS: Readonly<Record<string, string>> = {
  "store.kind":
    "`file`: the embedded JSON-lines store (no server); `esdb`: KurrentDB / EventStoreDB.",
  "broker.kind":
    "`simulator`: fills at the decision price, recorded as events; `alpaca`: Alpaca's paper or live API (keys from APCA_API_KEY_ID and APCA_API_SECRET_KEY).",
  "broker.initialCash": "Starting cash of the simulated account, dollars (whole cents).",
  "broker.slippageBps": "Adverse slippage on every simulated fill, basis points.",
  "broker.noiseBps": "Up to this many more adverse basis points per fill, seeded noise.",
  "broker.seed": "Seed of the fill noise: the same seed gives the same fills.",
  "broker.paper": "Trade Alpaca's paper account; false trades real money.",
  "broker.timeoutMs": "How long one Alpaca call may take, milliseconds.",
  "data.kind":
    "`csv`: one CSV file per symbol in a directory; `synthetic`: the seeded market; `alpaca`: Alpaca's market-data API (daily bars and live quotes; keys from APCA_API_KEY_ID / APCA_API_SECRET_KEY).",
  "data.feed": "Alpaca's data feed: `iex` (free) or `sip` (all exchanges, paid plan).",
  "data.secondaryFeed":
    "A second Alpaca feed whose quotes are cross-checked against the first: more than 1% apart aborts the run.",
  "data.timeoutMs": "How long one Alpaca market-data call may take, milliseconds.",
  "alerts.enabled":
    "Raise alerts from the account's events (SPEC §14); `trader alerts` delivers them.",
  "alerts.modes": "Events of these modes raise alerts (backtests would drown the real ones).",
  "alerts.routes.CRITICAL":
    "Channels that receive CRITICAL alerts (console, file, webhook, email).",
  "alerts.routes.WARNING": "Channels that receive WARNING alerts.",
  "alerts.routes.INFO": "Channels that receive INFO alerts (the daily digest, normal runs).",
  "alerts.file.path": "The JSON-lines file the `file` channel appends to.",
  "alerts.webhook.timeoutMs":
    "How long one webhook POST may take (URL from TRADER_WEBHOOK_URL), milliseconds.",
  "alerts.webhook.retries": "Webhook attempts after the first, each after twice the previous wait.",
  "alerts.webhook.backoffMs": "The first wait before a webhook retry, milliseconds.",
  "alerts.email.host":
    "SMTP server (user and password from TRADER_SMTP_USER / TRADER_SMTP_PASSWORD).",
  "alerts.email.port": "SMTP port.",
  "alerts.email.secure": "true: TLS from the start (port 465); false: STARTTLS when offered.",
  "alerts.email.from": "The alert e-mails' sender address.",
  "alerts.email.to": "Recipients of alert e-mails.",
  "alerts.email.timeoutMs": "How long one SMTP delivery may take, milliseconds.",
  "alerts.retry.maxAttempts": "A failed delivery is retried up to this many attempts.",
  "alerts.retry.everyMs": "How often failed deliveries are retried, milliseconds.",
  "alerts.thresholds.rejectionRateAbove":
    "WARNING when more than this fraction of a day's signals were stopped.",
  "alerts.thresholds.minSignalsForRejectionRate":
    "The rejection-rate warning needs at least this many signals.",
  "alerts.thresholds.inactiveDaysAbove":
    "WARNING when nothing was executed for more than this many days.",
  "alerts.dailyDigest": "Send the daily digest (INFO) when a day's end-of-day snapshot is written.",
  "monitor.enabled":
    "Run the intraday monitor (SPEC §17) for every strategy: stop-loss and take-profit exits between decisions.",
  "monitor.stopLoss": "Exit a position that falls this fraction below its entry price.",
  "monitor.takeProfit": "Exit a position that rises this fraction above its entry price.",
  "monitor.portfolioStopLoss":
    "Exit everything when equity falls this fraction below the session's start.",
  "monitor.portfolioTakeProfit":
    "Exit everything when equity rises this fraction above the session's start.",
  "monitor.intervalMinutes": "Minutes between the monitor's looks during the session.",
  "monitor.maxPositions": "At most this many positions are watched per look (largest first).",
  "monitor.profiles":
    "Per strategy: `enabled`, `stopLoss`, `takeProfit` overriding the account-wide values.",
  "data.dir": "Directory of the CSV files (relative to the working directory).",
  "data.seed": "Seed of the synthetic market: the same seed gives the same bars.",
  "data.from": "First date of the synthetic history.",
  strategies: "The strategies to run, each at most once.",
  "strategies[].name": "A known strategy: hierarchical-adaptive-v3.5b or sma-crossover.",
  "strategies[].params":
    "The strategy's own parameters (see docs/strategies/); its factory checks them at load.",
  minCashFraction:
    "Cash kept after every trade as a fraction of equity: the risk gate's minimum and the rebalance planner's reserve (it sets both).",
  "governor.healthCheckExtensionSessions":
    "Trading days added to a cooldown when a health check fails at its end.",
  "governor.marketDataMaxAgeHours":
    "The cooldown-end health check fails when market data is older than this, hours.",
  "governor.duplicateIntentWindowHours":
    "The health check fails on a duplicate intent more recent than this, hours.",
  "killSwitch.defaultManualLevel":
    "Level of a manual kill that names none: `entries` blocks risk-increasing orders, `all` every order.",
  "killSwitch.automaticLevel": "Level of every automatic kill.",
  "killSwitch.rejectionWindowOrders": "How many recent orders the rejection rate is measured over.",
  "killSwitch.minRejectedOrders": "At least this many rejected orders in the window …",
  "killSwitch.maxRejectionRate": "… and more than this fraction rejected trip the kill.",
  "killSwitch.maxConsecutiveFailedRuns": "This many failed runs in a row trip the kill.",
  "tradingBreaker.dailyDrawdown": "Drawdown today (from yesterday's close) that opens the breaker.",
  "tradingBreaker.weeklyDrawdown": "Drawdown this week (Monday to Sunday) that opens the breaker.",
  "tradingBreaker.totalDrawdown": "Drawdown from the high-water mark that opens the breaker.",
  "tradingBreaker.maxConsecutiveLosses": "This many losing trades in a row open the breaker.",
  "tradingBreaker.maxApiErrors": "This many broker API errors within the window open the breaker.",
  "tradingBreaker.apiErrorWindowSeconds": "Sliding window for broker API errors, seconds.",
  "tradingBreaker.maxOrderFailures": "This many order failures since the last reset open it.",
  "tradingBreaker.maxFailedTrades": "This many failed trades within the window open the breaker.",
  "tradingBreaker.failedTradeWindowSeconds": "Sliding window for failed trades, seconds.",
  "brokerBreaker.failureThreshold": "Consecutive failed broker calls that open the circuit.",
  "brokerBreaker.recoveryMs": "How long the circuit first stays open before a trial call, ms.",
  "brokerBreaker.backoffMultiplier": "Each failed trial multiplies the open time by this.",
  "brokerBreaker.maxRecoveryMs": "Longest open time before a trial call, ms.",
  "pipeline.dataQuality.maxAgeHoursByAssetClass":
    "Per asset class staleness limits in hours, e.g. { crypto: 1 }; others use maxAgeHours.",
  "pipeline.dataQuality.nanWindowBars":
    "How many of an indicator's latest values the missing-value share is measured over.",
  "pipeline.dataQuality.maxDailyMove":
    "A close-to-close move larger than this (either way) blocks the symbol: 0.5 = 50%.",
  "pipeline.dataQuality.corporateActions.closeRatioSplits":
    "Splits (N:M) recognised from the close ratio alone, in the per-symbol check.",
  "pipeline.dataQuality.corporateActions.closeRatioTolerance":
    "Largest |ln(close ratio / split ratio)| that still counts as that split.",
  "pipeline.dataQuality.corporateActions.genuineMoveLimit":
    "One-day moves up to this size are genuine and never taken for a split.",
  "pipeline.dataQuality.corporateActions.adjustedSplits":
    "Splits recognised when the adjusted close moves smoothly while the close jumps.",
  "pipeline.dataQuality.corporateActions.adjustedTolerance":
    "Largest |ln(divergence / split ratio)| for the adjusted-close evidence.",
  "pipeline.dataQuality.crossSource.maxDiffPct":
    "Two quote sources further apart than this block the symbol: 0.01 = 1%.",
  "pipeline.correlation.fullSizeMaxCorrelation": "At or below this |ρ| a signal keeps full size.",
  "pipeline.correlation.minMultiplier":
    "Size multiplier at rejectAboveCorrelation (linear from 1 at fullSizeMaxCorrelation).",
  "pipeline.risk.limits.maxSymbolWeight": "Largest weight of one symbol, all strategies together.",
  "pipeline.risk.limits.maxStrategyWeight": "Largest total weight of one strategy's positions.",
  "pipeline.risk.limits.maxPortfolioWeight": "Largest total weight of all positions.",
  "pipeline.risk.limits.maxPositions": "Most symbols held at once.",
  "pipeline.risk.limits.maxGrossLeverage": "Largest gross exposure / equity.",
  "pipeline.risk.limits.maxBuyingPowerUse": "Largest share of buying power one order may use.",
  "pipeline.risk.limits.varConfidence": "Confidence level of the one-day historical VaR.",
  "pipeline.risk.limits.maxValueAtRisk":
    "Largest one-day VaR of the post-trade portfolio, fraction of equity.",
  "pipeline.risk.limits.varLookbackDays": "Most recent daily returns the VaR simulation uses.",
  "pipeline.risk.limits.varMinObservations": "Fewer aligned returns than this fail the VaR gate.",
  "pipeline.risk.limits.maxDailyVolatility":
    "Daily volatility above which a signal needs minConfidenceWhenVolatile.",
  "pipeline.risk.limits.minConfidenceWhenVolatile":
    "Confidence a signal on a volatile asset needs.",
  "pipeline.risk.limits.tradingDaysPerYear": "Annualizes daily volatility for portfolio heat.",
  "pipeline.risk.profiles":
    "Per strategy: any of the pipeline.risk.limits settings, laid over them for that strategy. hierarchical-adaptive-v3.5b's profile (the default shown) is always present; fields given for it merge over it.",
  "pipeline.rebalance.threshold":
    "Skip a symbol whose weight is within this of its target: 0.05 = 5 percentage points.",
  "pipeline.rebalance.fullExitsIgnoreThreshold":
    "A held symbol targeted at 0 is sold in full even within the threshold.",
  "pipeline.corporateActions.closeRatioSplits":
    "Splits (N:M) recognised from the close ratio alone, in the run-level check that aborts the run.",
  "pipeline.corporateActions.closeRatioTolerance":
    "Largest |ln(close ratio / split ratio)| that still counts as that split (run-level).",
  "pipeline.corporateActions.genuineMoveLimit":
    "One-day moves up to this size are genuine (run-level).",
  "pipeline.corporateActions.adjustedSplits":
    "Splits recognised from the adjusted close (run-level).",
  "pipeline.corporateActions.adjustedTolerance":
    "Largest |ln(divergence / split ratio)| for the adjusted-close evidence (run-level).",
  "pipeline.crossSource.maxDiffPct":
    "Two quote sources further apart than this abort the run: 0.01 = 1%.",
  "pipeline.returnLookbackDays": "Daily returns used for correlation.",
  "pipeline.varLookbackDays": "Daily returns loaded for the VaR gate.",
  "pipeline.volatilityDays": "Daily returns used for volatility.",
  "pipeline.disabledRegimes": "Strategy name → regimes in which that strategy must not add risk.",
  "reconciliation.equityWarnAbove": "Equity drift above this is a WARNING: 0.02 = 2%.",
  "reconciliation.equityFailAbove": "Equity mismatch above this fails (CRITICAL): 0.10 = 10%.",
  "slippage.warnAbove": "Adverse slippage above this is a WARNING: 0.003 = 0.3%.",
  "slippage.alertAbove": "Above this the warning raises an alert (the plan's maximum).",
  "slippage.abortAbove": "Above this (CRITICAL) the run's remaining orders are aborted.",
  "execution.partialFillRetries":
    "A partial fill is retried for the remainder this many times, then accepted with a WARNING.",
  "execution.slot": "Which run of the day; the last part of the run id.",
};
