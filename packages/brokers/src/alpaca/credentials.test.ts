import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { alpacaCredentialsFromEnv } from "./credentials.js";

const SECRET = "sk-Do-Not-Print-7c1f";
const env = { APCA_API_KEY_ID: "PKTESTKEY123", APCA_API_SECRET_KEY: SECRET };

describe("alpacaCredentialsFromEnv", () => {
  it("reads the SDK's variables and defaults to the paper account", () => {
    const credentials = alpacaCredentialsFromEnv(env);
    expect({ ...credentials }).toEqual({ keyId: "PKTESTKEY123", secret: SECRET, paper: true });
  });

  it("takes paper or live from APCA_PAPER, and an explicit choice over it", () => {
    expect(alpacaCredentialsFromEnv({ ...env, APCA_PAPER: "false" }).paper).toBe(false);
    expect(alpacaCredentialsFromEnv({ ...env, APCA_PAPER: "TRUE" }).paper).toBe(true);
    expect(alpacaCredentialsFromEnv({ ...env, APCA_PAPER: "true" }, { paper: false }).paper).toBe(
      false,
    );
    expect(() => alpacaCredentialsFromEnv({ ...env, APCA_PAPER: "yes" })).toThrow(
      /APCA_PAPER must be "true" \(paper\) or "false" \(live\), got "yes"/,
    );
  });

  it("names a missing or empty variable and never prints a value", () => {
    expect(() => alpacaCredentialsFromEnv({ APCA_API_SECRET_KEY: SECRET })).toThrow(
      /APCA_API_KEY_ID is missing or empty/,
    );
    let message = "";
    try {
      alpacaCredentialsFromEnv({ APCA_API_KEY_ID: "PKTESTKEY123", APCA_API_SECRET_KEY: "  " });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/APCA_API_SECRET_KEY is missing or empty/);
    expect(message).not.toContain("PKTESTKEY123");
  });

  it("prints the secret as [redacted] in JSON, inspect and string form", () => {
    const credentials = alpacaCredentialsFromEnv(env);
    for (const printed of [
      JSON.stringify(credentials),
      inspect(credentials),
      String(credentials),
    ]) {
      expect(printed).not.toContain(SECRET);
      expect(printed).toContain("[redacted]");
    }
  });
});
