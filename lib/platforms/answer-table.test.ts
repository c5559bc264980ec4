import { describe, expect, it } from "vitest";
import { platforms, requestKinds } from "@/lib/domain";
import { enMessages as en, zhCNMessages as zh } from "@/lib/i18n/messages/merged";
import { answerTables, checkPlatformAnswer, getAnswerAvailability, getAnswerCell, getNotOfferedReason } from "@/lib/platforms/answer-table";
import { notOfferedReasons, type AnswerAction, type NativeRefund } from "@/lib/platforms/types";
import { withPlatformAnswers, type ActionPermission, type SellerAction } from "@/lib/policy/allowed-actions";

// The answer table (docs/platforms/answer-table.md) as the card and the decision endpoint read it: every cell a
// platform's API does not offer disables its button with the reason, and the server refuses it with the same one.

const actions: readonly AnswerAction[] = ["approve", "reject", "counter_offer"];
const cells = platforms.flatMap((platform) => requestKinds.flatMap((kind) => actions.map((action) => ({ platform, kind, action, cell: answerTables[platform][kind][action] }))));
const notOffered = cells.flatMap(({ cell, ...where }) => ("notOffered" in cell ? [{ ...where, reason: cell.notOffered }] : []));
const offered = cells.flatMap(({ cell, ...where }) => ("apis" in cell ? [{ ...where, apis: cell.apis }] : []));

/** What the rules alone allow (every button enabled), so only the platform's answers can disable one. */
const allAllowed: Record<SellerAction, ActionPermission> = { approve: { isAllowed: true }, reject: { isAllowed: true }, counter_offer: { isAllowed: true } };

describe("the answer table", () => {
  it("has a cell for every platform, kind and action, each naming its API(s) or why none", () => {
    expect(cells).toHaveLength(platforms.length * requestKinds.length * actions.length);
    for (const { apis } of offered) expect(apis.length).toBeGreaterThan(0);
    // No platform's API takes a counter-offer, and re-opening the entry is always done in the seller backend
    expect(notOffered.filter((cell) => cell.action === "counter_offer").map((cell) => cell.reason)).toEqual(Array(platforms.length * requestKinds.length).fill("counter_offer_not_offered"));
    for (const platform of platforms) expect(getNotOfferedReason(getAnswerCell(platform, "entry_reopen", "approve"))).toBe("entry_reopen_in_backend");
  });

  it.each(notOffered.map((cell) => [`${cell.platform} ${cell.kind} ${cell.action}`, cell] as const))("%s is not offered: the card's button is disabled with the reason, and the server refuses it", (_label, { platform, kind, action, reason }) => {
    const availability = getAnswerAvailability(platform, kind, null);
    expect(availability[action]).toBe(reason);
    expect(withPlatformAnswers(allAllowed, availability)[action]).toEqual({ isAllowed: false, reason: "answer_not_offered", notOffered: reason });
    expect(checkPlatformAnswer(platform, { kind, action, native: null, message: "商品完好", reasonCode: "1", reasons: [], proof: [] })).toEqual([{ code: "answer_not_offered", reason }]);
    // The button's words exist in both languages
    expect([zh.policy.answerNotOffered[reason], en.policy.answerNotOffered[reason]].every((text) => typeof text === "string" && text.length > 0)).toBe(true);
  });

  it.each(offered.map((cell) => [`${cell.platform} ${cell.kind} ${cell.action}`, cell] as const))("%s is offered: the platform leaves the button to the rules", (_label, { platform, kind, action }) => {
    const availability = getAnswerAvailability(platform, kind, null);
    expect(availability[action]).toBeNull();
    expect(withPlatformAnswers(allAllowed, availability)[action]).toEqual({ isAllowed: true });
  });

  it("every reason a cell or a state can give has its words in both languages", () => {
    expect(Object.keys(zh.policy.answerNotOffered).sort()).toEqual([...notOfferedReasons].sort());
    expect(Object.keys(en.policy.answerNotOffered).sort()).toEqual([...notOfferedReasons].sort());
  });
});

describe("getAnswerAvailability with the refund's platform state", () => {
  const douyinNative = (platformType: string, status: string): NativeRefund => ({ protocol: "douyin_push", refundId: "1", orderId: "2", status, platformType, kind: "refund_only", version: "1", intervention: null });

  it("a Douyin 未发货仅退款 disables reject with its reason even before any reason list is read", () => {
    expect(getAnswerAvailability("douyin", "refund_only", douyinNative("2", "6"))).toEqual({ approve: null, reject: "unshipped_refund_cannot_reject", counter_offer: "counter_offer_not_offered" });
  });

  it("a refund past the seller's answer disables both answers (no_api_for_state)", () => {
    expect(getAnswerAvailability("douyin", "refund_only", douyinNative("1", "12"))).toEqual({ approve: "no_api_for_state", reject: "no_api_for_state", counter_offer: "counter_offer_not_offered" });
  });

  it("a Taobao refund waiting on the seller offers both answers; without its reason list a reject is not sent (reasons_unavailable), not disabled", () => {
    const native: NativeRefund = { protocol: "taobao_tmc", refundId: "1", orderId: "2", status: "WAIT_SELLER_AGREE", platformType: "REFUND", kind: "refund_only", version: "1", refundPhase: "aftersale", intervention: null };
    expect(getAnswerAvailability("taobao", "refund_only", native)).toEqual({ approve: null, reject: null, counter_offer: "counter_offer_not_offered" });
    expect(checkPlatformAnswer("taobao", { kind: "refund_only", action: "reject", native, message: "商品完好", reasonCode: "4001", reasons: null, proof: [] })).toEqual([{ code: "reasons_unavailable" }]);
  });
});

describe("withPlatformAnswers", () => {
  const locked: ActionPermission = { isAllowed: false, reason: "negotiation_lock", until: new Date("2026-11-20T14:00:00Z") };
  const rules: Record<SellerAction, ActionPermission> = { approve: { isAllowed: true }, reject: locked, counter_offer: { isAllowed: false, reason: "not_negotiable" } };

  it("a shop not connected (no answers) keeps what the rules say", () => {
    expect(withPlatformAnswers(rules, null)).toBe(rules);
    expect(withPlatformAnswers(rules, undefined)).toBe(rules);
  });

  it("an offered answer keeps the rules' verdict, a refusal included; one not offered is disabled with the platform's reason", () => {
    expect(withPlatformAnswers(rules, { approve: "no_api_for_kind", reject: null, counter_offer: "counter_offer_not_offered" })).toEqual({
      approve: { isAllowed: false, reason: "answer_not_offered", notOffered: "no_api_for_kind" },
      reject: locked,
      counter_offer: { isAllowed: false, reason: "answer_not_offered", notOffered: "counter_offer_not_offered" },
    });
  });
});
