import { describe, expect, it } from "vitest";
import { defaultInboxDensity, formatDensityCookie, getDensityCookieName, parseInboxDensity } from "@/lib/inbox-density";

describe("inbox density", () => {
  it("names the cookie after the user, so two users of one browser keep their own choice", () => {
    expect(getDensityCookieName("usr_abc123")).toBe("inbox-density.usr_abc123");
    expect(getDensityCookieName("usr_abc123")).not.toBe(getDensityCookieName("usr_xyz789"));
  });

  it("keeps only cookie-safe characters in the name", () => {
    expect(getDensityCookieName("a b;c=d")).toBe("inbox-density.a_b_c_d");
  });

  it("reads a stored density back and falls back to the standard view", () => {
    expect(parseInboxDensity("compact")).toBe("compact");
    expect(parseInboxDensity("standard")).toBe("standard");
    expect(parseInboxDensity(undefined)).toBe(defaultInboxDensity);
    expect(parseInboxDensity("tiny")).toBe("standard");
    expect(parseInboxDensity("")).toBe("standard");
  });

  it("writes a cookie for every page of the desk, kept a year", () => {
    expect(formatDensityCookie("usr_1", "compact")).toBe("inbox-density.usr_1=compact; Path=/; Max-Age=31536000; SameSite=Lax");
  });
});
