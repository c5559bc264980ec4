import { describe, expect, it } from "vitest";
import type { RequestKind } from "@/lib/domain";
import { getPolicyProfile } from "@/lib/policy/profiles";
import {
  canCounterOffer,
  isSellerBuyerNegotiation,
  validateCounterOffer,
  type CounterOffer,
} from "@/lib/policy/seller-negotiation";

const receivedOrder = { receivedAt: new Date("2026-01-22T04:00:00Z") };
const requestAt = new Date("2026-01-23T02:00:00Z");

describe("isSellerBuyerNegotiation", () => {
  it.each([
    ["Taobao refund-only after receipt", "taobao", receivedOrder, "refund_only", true],
    ["Tmall refund-only after receipt", "tmall", receivedOrder, "refund_only", true],
    ["Taobao refund-only before receipt", "taobao", { receivedAt: null }, "refund_only", false],
    ["Taobao return & refund", "taobao", receivedOrder, "return_refund", false],
    ["Douyin: the platform may step in first", "douyin", receivedOrder, "refund_only", false],
  ] as const)("%s → %s", (_label, platform, order, kind, expected) => {
    expect(isSellerBuyerNegotiation(getPolicyProfile(platform), order, { kind, receivedAt: requestAt })).toBe(expected);
  });
});

describe("canCounterOffer", () => {
  it.each([
    ["refund_only", true],
    ["return_refund", true],
    ["exchange", false],
    ["repair", false],
    ["entry_reopen", false],
  ] as const)("%s → %s", (kind: RequestKind, expected) => {
    expect(canCounterOffer({ kind })).toBe(expected);
  });
});

describe("validateCounterOffer", () => {
  const refundOnly = { kind: "refund_only", amountFen: 19_900 } as const;

  it.each([
    ["1 fen", refundOnly, { kind: "partial_refund", amountFen: 1 }, { ok: true }],
    ["requested − 1 fen", refundOnly, { kind: "partial_refund", amountFen: 19_899 }, { ok: true }],
    ["partial refund on return & refund", { kind: "return_refund", amountFen: 19_900 }, { kind: "partial_refund", amountFen: 10_000 }, { ok: true }],
    ["change to return & refund", refundOnly, { kind: "return_refund" }, { ok: true }],
    ["0 fen", refundOnly, { kind: "partial_refund", amountFen: 0 }, { ok: false, problems: [{ code: "amount_not_positive", amountFen: 0 }] }],
    ["negative", refundOnly, { kind: "partial_refund", amountFen: -100 }, { ok: false, problems: [{ code: "amount_not_positive", amountFen: -100 }] }],
    ["the full amount is no counter-offer", refundOnly, { kind: "partial_refund", amountFen: 19_900 }, { ok: false, problems: [{ code: "amount_not_below_requested", amountFen: 19_900, requestedFen: 19_900 }] }],
    ["yuan with decimals instead of fen", refundOnly, { kind: "partial_refund", amountFen: 99.5 }, { ok: false, problems: [{ code: "amount_not_integer", amountFen: 99.5 }] }],
    ["NaN", refundOnly, { kind: "partial_refund", amountFen: Number.NaN }, { ok: false, problems: [
      { code: "amount_not_integer", amountFen: Number.NaN },
      { code: "amount_not_positive", amountFen: Number.NaN },
      { code: "amount_not_below_requested", amountFen: Number.NaN, requestedFen: 19_900 },
    ] }],
    ["return & refund to return & refund", { kind: "return_refund", amountFen: 19_900 }, { kind: "return_refund" }, { ok: false, problems: [{ code: "already_return_refund" }] }],
    ["exchange takes no counter-offer", { kind: "exchange", amountFen: 0 }, { kind: "partial_refund", amountFen: 1 }, { ok: false, problems: [{ code: "not_negotiable", requestKind: "exchange" }] }],
  ] as const)("%s", (_label, request, offer: CounterOffer, expected) => {
    expect(validateCounterOffer(request, offer)).toEqual(expected);
  });
});
