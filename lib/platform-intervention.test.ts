import { describe, expect, it } from "vitest";
import { isPlatformIntervening } from "@/lib/platform-intervention";

describe("isPlatformIntervening", () => {
  it.each([
    [null, false],
    ["none", false],
    ["cancelled", false],
    ["ended", false],
    ["ruled_for_buyer", false],
    ["ruled_for_seller", false],
    ["cs_handling", true],
    ["awaiting_seller_evidence", true],
    ["awaiting_negotiation", true],
    ["applied", true],
    ["intervened", true],
    ["7", true],
  ])("%s → %s", (state, expected) => {
    expect(isPlatformIntervening(state)).toBe(expected);
  });
});
