import { describe, expect, it } from "vitest";
import { parseSignInPerMinute } from "@/lib/sign-in-limit";

// The counting itself is db/queries/sign-in-limit.test.ts's (in the database, on both engines).

describe("parseSignInPerMinute", () => {
  it.each([
    [undefined, 30],
    ["", 30],
    ["0", 30],
    ["-5", 30],
    ["2.5", 30],
    ["abc", 30],
    ["1000", 1000],
    ["30", 30],
  ])("reads %j as %i", (value, count) => {
    expect(parseSignInPerMinute(value)).toBe(count);
  });
});
