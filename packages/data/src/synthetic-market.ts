import { type Bar, epochDay, type PriceHistory, type TradingCalendar } from "@trader/core";
import { z } from "zod";
import { type SeededRandom, seededRandom } from "./random.js";

/**
 * A seeded synthetic market for the reference strategy's universe (SPEC §16), for the demo and
 * tests. A hidden regime (bull, bear, high volatility) follows a Markov chain from session to
 * session; in each regime QQQ and TLT draw correlated normal daily returns with that regime's
 * drift and volatility. The leveraged ETFs follow their drivers day by day: TQQQ ≈ 3 × QQQ,
 * TMF ≈ 3 × TLT, TMV ≈ −3 × TLT, each less a daily expense and plus a little tracking noise
 * (so they decay in chop, like the real ones). Prices are unadjusted dollars rounded to cents.
 *
 * Every random draw of a session is made, in a fixed order, whether or not its symbol was
 * asked for: the same seed gives the same bars for a symbol whatever else was requested.
 */

export const SYNTHETIC_SYMBOLS = ["QQQ", "TLT", "TQQQ", "TMF", "TMV"] as const;
export type SyntheticSymbol = (typeof SYNTHETIC_SYMBOLS)[number];
export const MARKET_REGIMES = ["bull", "bear", "high_vol"] as const;
export type MarketRegime = (typeof MARKET_REGIMES)[number];

const dailyReturn = z.object({
  /** Mean daily return. */
  drift: z.number().gt(-0.05).lt(0.05),
  /** Daily standard deviation. */
  vol: z.number().positive().lt(0.2),
});
const regimeParams = z.object({
  qqq: dailyReturn,
  tlt: dailyReturn,
  /** Correlation of QQQ's and TLT's daily returns. */
  correlation: z.number().min(-1).max(1),
});
const transitionRow = z.object({
  bull: z.number().min(0).max(1),
  bear: z.number().min(0).max(1),
  high_vol: z.number().min(0).max(1),
});
const perSymbol = (schema: z.ZodNumber) =>
  z.object({ QQQ: schema, TLT: schema, TQQQ: schema, TMF: schema, TMV: schema });

export const syntheticMarketParamsSchema = z
  .object({
    regimes: z.object({ bull: regimeParams, bear: regimeParams, high_vol: regimeParams }).default({
      bull: {
        qqq: { drift: 0.0009, vol: 0.009 },
        tlt: { drift: -0.00005, vol: 0.007 },
        correlation: -0.2,
      },
      bear: {
        qqq: { drift: -0.0006, vol: 0.015 },
        tlt: { drift: 0.0002, vol: 0.009 },
        correlation: -0.3,
      },
      high_vol: {
        qqq: { drift: -0.0005, vol: 0.025 },
        tlt: { drift: 0.0003, vol: 0.012 },
        correlation: -0.4,
      },
    }),
    /** Row: today's regime; columns: the chance of each regime tomorrow (each row sums to 1). */
    transitions: z
      .object({ bull: transitionRow, bear: transitionRow, high_vol: transitionRow })
      .default({
        bull: { bull: 0.99, bear: 0.007, high_vol: 0.003 },
        bear: { bull: 0.02, bear: 0.975, high_vol: 0.005 },
        high_vol: { bull: 0.03, bear: 0.02, high_vol: 0.95 },
      }),
    initialRegime: z.enum(MARKET_REGIMES).default("bull"),
    /** Each symbol's first close, dollars. */
    startPrices: perSymbol(z.number().positive()).default({
      QQQ: 380,
      TLT: 95,
      TQQQ: 45,
      TMF: 20,
      TMV: 90,
    }),
    /** Typical daily share volume per symbol. */
    volumes: perSymbol(z.number().int().positive()).default({
      QQQ: 45_000_000,
      TLT: 20_000_000,
      TQQQ: 60_000_000,
      TMF: 15_000_000,
      TMV: 3_000_000,
    }),
    /** Yearly expense of the leveraged ETFs, taken daily over 252 sessions. */
    leveragedExpenseRatio: z.number().min(0).lt(0.1).default(0.0095),
    /** Daily sd of the leveraged ETFs' tracking noise. */
    trackingNoise: z.number().min(0).lt(0.05).default(0.0005),
  })
  .superRefine((params, context) => {
    for (const regime of MARKET_REGIMES) {
      const row = params.transitions[regime];
      const sum = row.bull + row.bear + row.high_vol;
      if (Math.abs(sum - 1) > 1e-9) {
        context.addIssue({
          code: "custom",
          path: ["transitions", regime],
          message: `the chances from ${regime} must sum to 1, got ${sum}`,
        });
      }
    }
  });

export type SyntheticMarketParams = z.output<typeof syntheticMarketParamsSchema>;
export type SyntheticMarketParamsInput = z.input<typeof syntheticMarketParamsSchema>;

export function parseSyntheticMarketParams(
  input: SyntheticMarketParamsInput = {},
): SyntheticMarketParams {
  const parsed = syntheticMarketParamsSchema.safeParse(input);
  if (!parsed.success) {
    throw new RangeError(`synthetic market params are invalid:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export const DEFAULT_SYNTHETIC_MARKET_PARAMS: SyntheticMarketParams = parseSyntheticMarketParams();

export interface SyntheticMarketOptions {
  /** Any safe integer; the same seed gives identical bars. */
  readonly seed: number;
  /** First and last dates (inclusive); bars fall on the calendar's sessions between them. */
  readonly from: string;
  readonly to: string;
  readonly calendar: TradingCalendar;
  /** Which of QQQ, TLT, TQQQ, TMF, TMV to return; default all five. */
  readonly symbols?: readonly string[];
  readonly params?: SyntheticMarketParamsInput;
}

export interface SyntheticMarket {
  readonly history: PriceHistory;
  /** The hidden regime of each session, oldest first: the ground truth a strategy guesses at. */
  readonly regimes: readonly { readonly date: string; readonly regime: MarketRegime }[];
}

interface Instrument {
  readonly symbol: SyntheticSymbol;
  /** Its daily return from the drivers' (before expense and noise). */
  readonly leverage: number;
  readonly driver: "qqq" | "tlt";
}

const INSTRUMENTS: readonly Instrument[] = [
  { symbol: "QQQ", leverage: 1, driver: "qqq" },
  { symbol: "TLT", leverage: 1, driver: "tlt" },
  { symbol: "TQQQ", leverage: 3, driver: "qqq" },
  { symbol: "TMF", leverage: 3, driver: "tlt" },
  { symbol: "TMV", leverage: -3, driver: "tlt" },
];

/** No day loses more than this: a leveraged fund cannot go below zero. */
const WORST_DAILY_RETURN = -0.9;
const cents = (dollars: number): number => Math.max(0.01, Math.round(dollars * 100) / 100);

function nextRegime(
  random: SeededRandom,
  regime: MarketRegime,
  params: SyntheticMarketParams,
): MarketRegime {
  const draw = random.next();
  const row = params.transitions[regime];
  if (draw < row.bull) return "bull";
  if (draw < row.bull + row.bear) return "bear";
  return "high_vol";
}

function sessionsOf(calendar: TradingCalendar, from: string, to: string): string[] {
  if (epochDay(from) > epochDay(to)) {
    throw new RangeError(`syntheticMarket: from ${from} is after to ${to}`);
  }
  const sessions: string[] = [];
  let date = calendar.isSession(from) ? from : calendar.nextSession(from);
  while (date <= to) {
    sessions.push(date);
    if (date === to) break;
    date = calendar.nextSession(date);
  }
  if (sessions.length === 0) {
    throw new RangeError(`syntheticMarket: the calendar has no session from ${from} to ${to}`);
  }
  return sessions;
}

function requestedSymbols(symbols: readonly string[] | undefined): Set<SyntheticSymbol> {
  if (symbols === undefined) return new Set(SYNTHETIC_SYMBOLS);
  const known: readonly string[] = SYNTHETIC_SYMBOLS;
  const unknown = symbols.filter((symbol) => !known.includes(symbol));
  if (unknown.length > 0) {
    throw new RangeError(
      `syntheticMarket: unknown symbol${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; available: ${SYNTHETIC_SYMBOLS.join(", ")}`,
    );
  }
  return new Set(symbols as readonly SyntheticSymbol[]);
}

/** Generates the synthetic universe over the calendar's sessions from `from` to `to`. */
export function syntheticMarket(options: SyntheticMarketOptions): SyntheticMarket {
  const params = parseSyntheticMarketParams(options.params);
  const wanted = requestedSymbols(options.symbols);
  const sessions = sessionsOf(options.calendar, options.from, options.to);
  const random = seededRandom(options.seed);
  const dailyExpense = params.leveragedExpenseRatio / 252;

  const price = new Map<SyntheticSymbol, number>(
    INSTRUMENTS.map(({ symbol }) => [symbol, params.startPrices[symbol]]),
  );
  const bars = new Map<SyntheticSymbol, Bar[]>(INSTRUMENTS.map(({ symbol }) => [symbol, []]));
  const regimes: { date: string; regime: MarketRegime }[] = [];
  let regime = params.initialRegime;

  sessions.forEach((date, day) => {
    if (day > 0) regime = nextRegime(random, regime, params);
    regimes.push({ date, regime });
    const { qqq, tlt, correlation } = params.regimes[regime];
    const z1 = random.normal();
    const z2 = random.normal();
    const driverReturn = {
      qqq: qqq.drift + qqq.vol * z1,
      tlt: tlt.drift + tlt.vol * (correlation * z1 + Math.sqrt(1 - correlation ** 2) * z2),
    };
    const driverVol = { qqq: qqq.vol, tlt: tlt.vol };
    for (const { symbol, leverage, driver } of INSTRUMENTS) {
      const leveraged = leverage !== 1;
      const noise = random.normal();
      const gapNoise = random.normal();
      const highNoise = Math.abs(random.normal());
      const lowNoise = Math.abs(random.normal());
      const volumeNoise = random.normal();
      const rawReturn =
        leverage * driverReturn[driver] +
        (leveraged ? params.trackingNoise * noise - dailyExpense : 0);
      // The first session only sets the stage: it closes at the start price.
      const dayReturn = day === 0 ? 0 : Math.max(WORST_DAILY_RETURN, rawReturn);
      const previousClose = price.get(symbol) as number;
      const close = previousClose * (1 + dayReturn);
      price.set(symbol, close);
      const scale = Math.abs(leverage) * driverVol[driver];
      const open = previousClose * Math.max(0.1, 1 + 0.3 * dayReturn + 0.1 * scale * gapNoise);
      const high = Math.max(open, close) * (1 + 0.5 * scale * highNoise);
      const low = Math.min(open, close) * Math.max(0.1, 1 - 0.5 * scale * lowNoise);
      const volume = Math.round(params.volumes[symbol] * Math.exp(0.25 * volumeNoise));
      (bars.get(symbol) as Bar[]).push({
        date,
        open: cents(open),
        high: cents(high),
        low: cents(low),
        close: cents(close),
        volume,
      });
    }
  });

  const history: Record<string, readonly Bar[]> = {};
  for (const { symbol } of INSTRUMENTS) {
    if (wanted.has(symbol)) history[symbol] = bars.get(symbol) as Bar[];
  }
  return { history, regimes };
}
