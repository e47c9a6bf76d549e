/**
 * One-off full-day NYSE closures inside the covered range, as data: no rule predicts them.
 * Sources: the NYSE's own history of market closings ("Closings of the NYSE", the exchange's
 * closings PDF as transcribed in pandas_market_calendars' holidays_nyse.py) and the exchange's
 * announcements for each event. Add a row when the exchange announces a new closure.
 */
export interface NyseSpecialClosure {
  readonly date: string;
  /** Why the exchange was closed, as `closedReason` reports it. */
  readonly reason: string;
}

export const NYSE_SPECIAL_CLOSURES: readonly NyseSpecialClosure[] = [
  { date: "2001-09-11", reason: "September 11 attacks" },
  { date: "2001-09-12", reason: "September 11 attacks" },
  { date: "2001-09-13", reason: "September 11 attacks" },
  { date: "2001-09-14", reason: "September 11 attacks" },
  { date: "2004-06-11", reason: "National Day of Mourning for President Ronald Reagan" },
  { date: "2007-01-02", reason: "National Day of Mourning for President Gerald R. Ford" },
  { date: "2012-10-29", reason: "Hurricane Sandy" },
  { date: "2012-10-30", reason: "Hurricane Sandy" },
  { date: "2018-12-05", reason: "National Day of Mourning for President George H. W. Bush" },
  { date: "2025-01-09", reason: "National Day of Mourning for President Jimmy Carter" },
];
