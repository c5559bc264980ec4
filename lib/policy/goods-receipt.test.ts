import { describe, expect, it } from "vitest";
import { isRequestAfterReceipt } from "@/lib/policy/goods-receipt";

const requestAt = new Date("2026-01-23T02:00:00.000Z");

describe("isRequestAfterReceipt", () => {
  it.each([
    ["not received", null, false],
    ["received a day before the request", "2026-01-22T02:00:00.000Z", true],
    ["received at the same instant", "2026-01-23T02:00:00.000Z", true],
    ["received 1 ms after the request", "2026-01-23T02:00:00.001Z", false],
  ] as const)("%s → %s", (_label, receivedIso, expected) => {
    const order = { receivedAt: receivedIso === null ? null : new Date(receivedIso) };
    expect(isRequestAfterReceipt(order, { receivedAt: requestAt })).toBe(expected);
  });
});
