/**
 * Stream names ↔ file names. Bytes of A–Z, a–z, 0–9, ".", "_" and "-" stay as they are (so a
 * day's stream is recognizable in `ls`); every other UTF-8 byte becomes %XX (upper-case hex).
 * The mapping is reversible, and a file name counts only in its canonical spelling, so two files
 * can never claim the same stream.
 */

export const STREAM_FILE_EXTENSION = ".jsonl";
/** Most file systems cap a file name at 255 bytes. */
export const MAX_FILE_NAME_BYTES = 255;

const SAFE_BYTE = new Uint8Array(256);
for (const char of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") {
  SAFE_BYTE[char.charCodeAt(0)] = 1;
}

export function encodeStreamName(stream: string): string {
  let encoded = "";
  for (const byte of Buffer.from(stream, "utf8")) {
    encoded += SAFE_BYTE[byte]
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return encoded;
}

/** The stream an encoded name stands for, or undefined when it is not a canonical encoding. */
export function decodeStreamName(encoded: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const code = encoded.charCodeAt(i);
    if (code === 0x25 /* % */) {
      const hex = encoded.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return undefined;
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (code < 256 && SAFE_BYTE[code]) {
      bytes.push(code);
    } else {
      return undefined;
    }
  }
  const stream = Buffer.from(bytes).toString("utf8");
  // Re-encoding catches everything non-canonical: %41 for "A", invalid UTF-8 (decoded as U+FFFD).
  return stream.length > 0 && encodeStreamName(stream) === encoded ? stream : undefined;
}

export function streamFileName(stream: string): string {
  return `${encodeStreamName(stream)}${STREAM_FILE_EXTENSION}`;
}

/** The stream a file in the streams directory holds, or undefined for any other file. */
export function streamOfFileName(fileName: string): string | undefined {
  if (!fileName.endsWith(STREAM_FILE_EXTENSION)) return undefined;
  return decodeStreamName(fileName.slice(0, -STREAM_FILE_EXTENSION.length));
}
