import { describe, expect, it } from "vitest";
import { getAllowedActions, type ActionOrder, type ActionRequest } from "@/lib/policy/allowed-actions";
import type { PlatformProposal } from "@/lib/policy/platform-negotiation";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { dayMs, hourMs } from "@/lib/time";

const douyin = getPolicyProfile("douyin");
const taobao = getPolicyProfile("taobao");

const order: ActionOrder = {
  category: "apparel",
  amountFen: 19_900,
  shippedAt: new Date("2026-01-20T02:00:00Z"),
  receivedAt: new Date("2026-01-22T04:00:00Z"),
  completedAt: null,
  priorRefundState: "none",
};
const request: ActionRequest = { kind: "refund_only", amountFen: 19_900, receivedAt: new Date("2026-01-23T02:00:00Z") };
const proposal: PlatformProposal = { createdAt: new Date("2026-01-23T02:05:00Z") };
const lockEnd = new Date(proposal.createdAt.getTime() + 12 * hourMs);
const allowed = { isAllowed: true };
const locked = { isAllowed: false, reason: "negotiation_lock", until: lockEnd };

function hoursAfterProposal(hours: number): Date {
  return new Date(proposal.createdAt.getTime() + hours * hourMs);
}

describe("getAllowedActions under a Douyin proposal", () => {
  it.each([
    ["valid proposal: only approve", order, request, proposal, hoursAfterProposal(1), { approve: allowed, reject: locked, counter_offer: locked }],
    ["12 h − 1 ms: still locked", order, request, proposal, new Date(lockEnd.getTime() - 1), { approve: allowed, reject: locked, counter_offer: locked }],
    ["exactly 12 h: lapsed, review as usual", order, request, proposal, lockEnd, { approve: allowed, reject: allowed, counter_offer: allowed }],
    ["buyer rejected the proposal", order, request, { ...proposal, buyerResponse: "rejected" }, hoursAfterProposal(1), { approve: allowed, reject: allowed, counter_offer: allowed }],
    ["no proposal", order, request, null, hoursAfterProposal(1), { approve: allowed, reject: allowed, counter_offer: allowed }],
    ["invalid proposal on 生鲜 locks nothing", { ...order, category: "fresh_food" }, request, proposal, hoursAfterProposal(1), { approve: allowed, reject: allowed, counter_offer: allowed }],
    ["invalid proposal on a partial refund locks nothing", order, { ...request, amountFen: 9_900 }, proposal, hoursAfterProposal(1), { approve: allowed, reject: allowed, counter_offer: allowed }],
  ] as const)("%s", (_label, actionOrder: ActionOrder, actionRequest: ActionRequest, actionProposal, now, expected) => {
    expect(getAllowedActions(douyin, actionOrder, actionRequest, actionProposal, now)).toEqual(expected);
  });
});

describe("getAllowedActions on Taobao", () => {
  const now = new Date("2026-01-23T02:01:00Z");
  const completedAt = new Date("2025-03-10T06:00:00Z");

  it.each([
    ["shipped refund-only", order, request, { approve: allowed, reject: allowed, counter_offer: allowed }],
    [
      "unshipped refund-only may not be rejected",
      { ...order, shippedAt: null, receivedAt: null },
      request,
      { approve: allowed, reject: { isAllowed: false, reason: "not_rejectable", rules: ["refund_only_unshipped"] }, counter_offer: allowed },
    ],
    ["exchange takes no counter-offer", order, { ...request, kind: "exchange" }, { approve: allowed, reject: allowed, counter_offer: { isAllowed: false, reason: "not_negotiable" } }],
    ["eligible re-open card", { ...order, completedAt }, { ...request, kind: "entry_reopen" }, { approve: allowed, reject: allowed, counter_offer: { isAllowed: false, reason: "not_negotiable" } }],
    [
      "re-open card while the entry is open",
      { ...order, completedAt, entryOpenedAt: new Date(now.getTime() - dayMs) },
      { ...request, kind: "entry_reopen" },
      {
        approve: { isAllowed: false, reason: "not_eligible", eligibility: { eligible: false, reason: "already_open", openUntil: new Date(now.getTime() + 29 * dayMs) } },
        reject: allowed,
        counter_offer: { isAllowed: false, reason: "not_negotiable" },
      },
    ],
    [
      "re-open card after a refund succeeded",
      { ...order, completedAt, priorRefundState: "succeeded" },
      { ...request, kind: "entry_reopen" },
      {
        approve: { isAllowed: false, reason: "not_eligible", eligibility: { eligible: false, reason: "prior_refund", priorRefundState: "succeeded" } },
        reject: allowed,
        counter_offer: { isAllowed: false, reason: "not_negotiable" },
      },
    ],
    ["a Douyin-style proposal means nothing on Taobao", order, request, { approve: allowed, reject: allowed, counter_offer: allowed }],
  ] as const)("%s", (_label, actionOrder: ActionOrder, actionRequest: ActionRequest, expected) => {
    expect(getAllowedActions(taobao, actionOrder, actionRequest, proposal, now)).toEqual(expected);
  });
});
