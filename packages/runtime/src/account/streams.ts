/**
 * Stream names of an account (DESIGN "Streams"): one stream per account and trading day holds
 * that day's runs and operator actions; the simulator and the dry-run guard keep their own.
 */
const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function assertAccountName(account: string): string {
  if (!ACCOUNT_NAME.test(account)) {
    throw new RangeError(
      `account "${account}" must start with a letter or digit and use only letters, digits, "_", "." and "-"`,
    );
  }
  return account;
}

export const dayStreamPrefix = (account: string) => `day-${assertAccountName(account)}-`;
export const dayStream = (account: string, tradingDate: string) =>
  `${dayStreamPrefix(account)}${tradingDate}`;
export const tradingDateOfStream = (account: string, stream: string) =>
  stream.slice(dayStreamPrefix(account).length);

/**
 * The ledger a mode writes to. A dry-run's hypothetical fills must never enter the real
 * account's projection (the next paper or live run would fail reconciliation), so dry-runs
 * keep their own ledger, `<account>.dry-run`, over the same broker account.
 */
export function ledgerAccount(account: string, mode: string): string {
  return mode === "dry-run" ? `${assertAccountName(account)}.dry-run` : assertAccountName(account);
}
