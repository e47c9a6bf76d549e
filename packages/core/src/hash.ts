import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** Lower-case hex SHA-256 of a UTF-8 string. Pure: the core imports no Node built-ins. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/**
 * A deterministic id from its parts: the first `length` hex chars of SHA-256 over the parts
 * joined by "|". Order matters; a part containing "|" is escaped so ("a|b","c") ≠ ("a","b|c").
 */
export function deterministicId(parts: readonly (string | number)[], length = 16): string {
  if (length < 1 || length > 64) {
    throw new RangeError(
      `deterministicId: length must be between 1 and 64 hex chars, got ${length}`,
    );
  }
  const joined = parts.map((part) => String(part).replaceAll("\\", "\\\\").replaceAll("|", "\\|"));
  return sha256Hex(joined.join("|")).slice(0, length);
}

/**
 * A UUID-shaped (version 5 style, RFC 4122 variant) id derived from SHA-256 of a name.
 * Event ids must be UUIDs for EventStoreDB; deriving them from a name makes them reproducible.
 */
export function uuidFromName(name: string): string {
  const hex = sha256Hex(name);
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join("-");
}
