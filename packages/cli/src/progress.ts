import cliProgress from "cli-progress";

/**
 * A progress bar on a terminal (cli-progress), or a line every 10% when stderr is not a
 * terminal (CI logs), or nothing under --json.
 */
export function progressReporter(
  label: string,
  options: { readonly quiet: boolean },
): { update(done: number, total: number, detail: string): void; stop(): void } {
  if (options.quiet) return { update() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} sessions | {detail}`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, detail) {
        if (!started) {
          bar.start(total, 0, { detail });
          started = true;
        }
        bar.update(done, { detail });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let nextTenth = 1;
  return {
    update(done, total, detail) {
      while (done >= (total * nextTenth) / 10 && nextTenth <= 10) {
        process.stderr.write(
          `${label}: ${nextTenth * 10}% (${done}/${total} sessions, ${detail})\n`,
        );
        nextTenth++;
      }
    },
    stop() {},
  };
}
