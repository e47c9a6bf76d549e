import {
  AccessDeniedError,
  NO_STREAM,
  UnavailableError,
  WrongExpectedVersionError,
} from "@kurrent/kurrentdb-client";
import { ConcurrencyError, StoreInputError } from "@trader/store";
import { describe, expect, it } from "vitest";
import { EsdbUnavailableError, hostOf, isUnavailable, translateError } from "./errors.js";

const host = "node1:2113";

describe("error translation", () => {
  it("a wrong expected version is a ConcurrencyError with stream, expected and actual", () => {
    const wrong = new WrongExpectedVersionError(undefined, {
      streamName: "day:acct-1",
      expected: 1n,
      current: 2n,
    });
    const translated = translateError(wrong, { host, stream: "day:acct-1", expected: 1 });
    expect(translated).toBeInstanceOf(ConcurrencyError);
    expect(translated).toMatchObject({ stream: "day:acct-1", expected: 1, actual: 2 });

    const missing = new WrongExpectedVersionError(undefined, {
      streamName: "s",
      expected: "stream_exists",
      current: NO_STREAM,
    });
    expect(translateError(missing, { host })).toMatchObject({
      name: "ConcurrencyError",
      stream: "s",
      expected: "stream_exists",
      actual: "no_stream",
    });
  });

  it("works on plain objects of the same shape (numbers where bigints are typed)", () => {
    const shaped = {
      type: "wrong-expected-version",
      streamName: "s",
      expectedState: 0,
      actualState: 3,
    };
    expect(translateError(shaped, { host })).toMatchObject({ expected: 0, actual: 3 });
  });

  it("an unavailable server names the host and the environment variable", () => {
    const translated = translateError(new UnavailableError(undefined, "connection refused"), {
      host,
    });
    expect(translated).toBeInstanceOf(EsdbUnavailableError);
    expect((translated as Error).message).toContain(host);
    expect((translated as Error).message).toContain("KURRENTDB_CONNECTION_STRING");
    expect(isUnavailable({ code: "ECONNREFUSED" })).toBe(true);
    expect(isUnavailable(new AccessDeniedError())).toBe(false);
  });

  it("passes the port's own and unknown errors through", () => {
    const input = new StoreInputError("x", "y");
    expect(translateError(input, { host })).toBe(input);
    const denied = new AccessDeniedError();
    expect(translateError(denied, { host })).toBe(denied);
  });

  it("takes the hosts out of a connection string, credentials dropped", () => {
    expect(hostOf("kurrentdb://admin:changeit@a:2113,b:2113?tls=false")).toBe("a:2113,b:2113");
    expect(hostOf("esdb+discover://cluster.example:2113")).toBe("cluster.example:2113");
  });
});
