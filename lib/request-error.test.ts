import { describe, expect, it } from "vitest";
import { classifyRequestError } from "@/lib/request-error";

class StatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

describe("classifyRequestError", () => {
  it.each([
    ["no answer (fetch failed)", new TypeError("Failed to fetch"), "network"],
    ["no answer (requestJson's network_error)", Object.assign(new Error("Failed to fetch"), { status: null, code: "network_error" }), "network"],
    ["401", new StatusError(401), "signedOut"],
    ["403", new StatusError(403), "forbidden"],
    ["404", new StatusError(404), "notFound"],
    ["409", new StatusError(409), "conflict"],
    ["400", new StatusError(400), "invalid"],
    ["422", new StatusError(422), "invalid"],
    ["413", new StatusError(413), "tooLarge"],
    ["429", new StatusError(429), "tooMany"],
    ["500", new StatusError(500), "server"],
    ["503", new StatusError(503), "server"],
    ["418", new StatusError(418), "unknown"],
    ["a plain error", new Error("boom"), "unknown"],
    ["a string", "boom", "unknown"],
  ] as const)("%s → %s", (_label, error, key) => {
    expect(classifyRequestError(error)).toBe(key);
  });
});
