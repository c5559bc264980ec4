import { describe, expect, it } from "vitest";
import { isCrossOriginRequest } from "@/lib/origin";

const url = "http://localhost:3000/api/requests/x/decision";

describe("isCrossOriginRequest", () => {
  it.each([
    ["same origin", { origin: "http://localhost:3000", host: "localhost:3000" }, false],
    ["no origin (curl)", { host: "localhost:3000" }, false],
    ["other origin", { origin: "http://evil.test", host: "localhost:3000" }, true],
    ["other port", { origin: "http://localhost:4000", host: "localhost:3000" }, true],
    ["garbage origin", { origin: "null", host: "localhost:3000" }, true],
    ["browser says cross-site", { "sec-fetch-site": "cross-site", host: "localhost:3000" }, true],
    ["browser says same-origin", { "sec-fetch-site": "same-origin", origin: "http://localhost:3000", host: "localhost:3000" }, false],
  ])("%s", (_label, headers, expected) => {
    expect(isCrossOriginRequest(new Headers(headers), url)).toBe(expected);
  });
});
