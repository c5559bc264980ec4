import { describe, expect, it } from "vitest";
import {
  getNegotiationLock,
  getProposalApplicability,
  isProposalApplicable,
  type PlatformProposal,
  type ProposalOrder,
  type ProposalRequest,
} from "@/lib/policy/platform-negotiation";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { hourMs } from "@/lib/time";

const douyin = getPolicyProfile("douyin");
const taobao = getPolicyProfile("taobao");

const order: ProposalOrder = { category: "apparel", amountFen: 19_900, receivedAt: new Date("2026-01-22T04:00:00Z") };
const request: ProposalRequest = { kind: "refund_only", amountFen: 19_900, receivedAt: new Date("2026-01-23T02:00:00Z") };

describe("getProposalApplicability", () => {
  it.each([
    ["full refund-only after receipt", douyin, order, request, { isApplicable: true }],
    ["asks more than paid (freight) still counts as full", douyin, order, { ...request, amountFen: 20_900 }, { isApplicable: true }],
    ["Taobao: the platform does not step in first", taobao, order, request, { isApplicable: false, reason: "not_supported" }],
    ["return & refund", douyin, order, { ...request, kind: "return_refund" }, { isApplicable: false, reason: "not_refund_only" }],
    ["partial refund, 1 fen short", douyin, order, { ...request, amountFen: 19_899 }, { isApplicable: false, reason: "partial_refund" }],
    ["before receipt", douyin, { ...order, receivedAt: null }, request, { isApplicable: false, reason: "not_received" }],
    // Receipt unknown: the platform made the proposal, so the desk does not call it invalid
    ["receipt unknown", douyin, { ...order, receivedAt: null, unknownFacts: ["received"] }, request, { isApplicable: true }],
    ["生鲜, receipt unknown", douyin, { ...order, category: "fresh_food", receivedAt: null, unknownFacts: ["received"] }, request, { isApplicable: false, reason: "excluded_category" }],
    ["received after the request", douyin, { ...order, receivedAt: new Date("2026-01-24T00:00:00Z") }, request, { isApplicable: false, reason: "not_received" }],
    ["生鲜", douyin, { ...order, category: "fresh_food" }, request, { isApplicable: false, reason: "excluded_category" }],
    ["鲜花园艺", douyin, { ...order, category: "flowers_gardening" }, request, { isApplicable: false, reason: "excluded_category" }],
    ["宠物活体", douyin, { ...order, category: "live_pets" }, request, { isApplicable: false, reason: "excluded_category" }],
    ["packaged food is not fresh", douyin, { ...order, category: "food" }, request, { isApplicable: true }],
  ] as const)("%s", (_label, profile, proposalOrder, proposalRequest, expected) => {
    expect(getProposalApplicability(profile, proposalOrder, proposalRequest)).toEqual(expected);
    expect(isProposalApplicable(profile, proposalOrder, proposalRequest)).toBe(expected.isApplicable);
  });
});

describe("getNegotiationLock", () => {
  const createdAt = new Date("2026-01-23T02:05:00Z");
  const twelveHours = new Date(createdAt.getTime() + 12 * hourMs);
  const platformExpiry = new Date(createdAt.getTime() + 10 * hourMs);

  it.each([
    ["just made", {}, 0, { isLocked: true, until: twelveHours, remainingMs: 12 * hourMs }],
    ["12 h − 1 ms", {}, 12 * hourMs - 1, { isLocked: true, until: twelveHours, remainingMs: 1 }],
    ["exactly 12 h: lapsed", {}, 12 * hourMs, { isLocked: false, reason: "lapsed", until: twelveHours }],
    ["12 h + 1 ms", {}, 12 * hourMs + 1, { isLocked: false, reason: "lapsed", until: twelveHours }],
    ["platform expiry wins: 10 h − 1 ms", { expiresAt: platformExpiry }, 10 * hourMs - 1, { isLocked: true, until: platformExpiry, remainingMs: 1 }],
    ["platform expiry wins: exactly 10 h", { expiresAt: platformExpiry }, 10 * hourMs, { isLocked: false, reason: "lapsed", until: platformExpiry }],
    ["null expiry falls back to 12 h", { expiresAt: null }, 11 * hourMs, { isLocked: true, until: twelveHours, remainingMs: hourMs }],
    ["buyer accepted", { buyerResponse: "accepted" }, hourMs, { isLocked: false, reason: "accepted" }],
    ["buyer rejected", { buyerResponse: "rejected" }, hourMs, { isLocked: false, reason: "rejected" }],
  ] as const)("%s", (_label, fields: Partial<PlatformProposal>, elapsedMs, expected) => {
    const now = new Date(createdAt.getTime() + elapsedMs);
    expect(getNegotiationLock(douyin, { createdAt, ...fields }, now)).toEqual(expected);
  });

  it("never locks on a platform without the scheme", () => {
    expect(getNegotiationLock(taobao, { createdAt }, createdAt)).toEqual({ isLocked: false, reason: "not_supported" });
  });
});
