/**
 * Run as a separate process by the lock tests: opens the store directory given as argument as a
 * writer and prints what happened as one JSON line, then exits (or, with "hold", keeps it open
 * until stdin closes).
 */
import { openFileStore } from "../file-store/file-store.js";

const [dir, mode] = process.argv.slice(2);
try {
  const store = await openFileStore({ dir: dir as string });
  process.stdout.write(`${JSON.stringify({ opened: true, pid: process.pid })}\n`);
  if (mode === "hold") {
    process.stdin.resume();
    await new Promise((resolve) => process.stdin.on("end", resolve));
  }
  await store.close();
} catch (error) {
  const { name, message } = error as Error;
  process.stdout.write(`${JSON.stringify({ opened: false, name, message })}\n`);
}
