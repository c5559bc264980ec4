import { describe, expect, it } from "vitest";
import { getPolicyProfile } from "@/lib/policy/profiles";
import {
  getRejectionRequirements,
  getUnrejectableRules,
  takeWithinFileLimit,
  validateRejection,
  type EvidenceFile,
  type RejectionDraft,
  type RejectionOrder,
  type RejectionRequest,
} from "@/lib/policy/rejection";

const taobao = getPolicyProfile("taobao");
const tmall = getPolicyProfile("tmall");
const douyin = getPolicyProfile("douyin");
const megabyte = 1024 * 1024;

const shipped: RejectionOrder = { shippedAt: new Date("2026-01-20T02:00:00Z") };
const unshipped: RejectionOrder = { shippedAt: null };
const returnRefund: RejectionRequest = { kind: "return_refund" };
const photo: EvidenceFile = { name: "签收照片.jpg", type: "image/jpeg", sizeBytes: 800_000 };
const evidenceLimits = taobao.reject.evidence;

describe("getUnrejectableRules", () => {
  it.each([
    ["Taobao unshipped refund-only", taobao, unshipped, { kind: "refund_only" }, ["refund_only_unshipped"]],
    ["Taobao shipped refund-only", taobao, shipped, { kind: "refund_only" }, []],
    // The platform did not say whether it shipped: the desk never claims the refund cannot be refused
    ["Tmall refund-only, shipping unknown", tmall, { shippedAt: null, unknownFacts: ["shipped"] }, { kind: "refund_only" }, []],
    ["Tmall refund-only, only receipt unknown", tmall, { shippedAt: null, unknownFacts: ["received"] }, { kind: "refund_only" }, ["refund_only_unshipped"]],
    ["Taobao unshipped exchange", taobao, unshipped, { kind: "exchange" }, []],
    ["Taobao 7天无理由 return", taobao, shipped, { kind: "return_refund", isSevenDayNoReason: true }, ["seven_day_no_reason"]],
    ["Tmall unshipped 7天无理由 refund-only", tmall, unshipped, { kind: "refund_only", isSevenDayNoReason: true }, ["refund_only_unshipped", "seven_day_no_reason"]],
    ["Douyin unshipped refund-only (no published rule)", douyin, unshipped, { kind: "refund_only" }, []],
  ] as const)("%s → %j", (_label, profile, order, request: RejectionRequest, expected) => {
    expect(getUnrejectableRules(profile, order, request)).toEqual(expected);
  });
});

describe("getRejectionRequirements", () => {
  const reason = { code: "reason", reasonCodes: taobao.rejectReasons.map((item) => item.code) };
  const message = { code: "message", minChars: 2, maxChars: 200 };

  it.each([
    ["Taobao, reason that needs proof", taobao, "goods_intact_used", true, "reason"],
    ["Taobao, reason that needs none", taobao, "past_period", false, null],
    ["Taobao, no reason chosen yet", taobao, null, false, null],
    ["Tmall, reason that needs none: proof anyway", tmall, "past_period", true, "platform"],
    ["Tmall, no reason chosen yet: proof anyway", tmall, null, true, "platform"],
  ] as const)("%s", (_label, profile, reasonCode, isRequired, requiredBy) => {
    expect(getRejectionRequirements(profile, shipped, returnRefund, reasonCode)).toEqual([
      reason,
      message,
      { code: "evidence", isRequired, requiredBy, ...evidenceLimits },
    ]);
  });

  it("lists Douyin's own reasons", () => {
    const [first] = getRejectionRequirements(douyin, shipped, returnRefund, null);
    expect(first).toMatchObject({ code: "reason", reasonCodes: expect.arrayContaining(["fresh_no_return", "other"]) });
  });

  it("lists only why, when the request may not be rejected", () => {
    expect(getRejectionRequirements(taobao, unshipped, { kind: "refund_only" }, "other")).toEqual([
      { code: "not_rejectable", rule: "refund_only_unshipped" },
    ]);
  });
});

describe("validateRejection", () => {
  const complete: RejectionDraft = { reasonCode: "goods_intact_used", message: "吊牌已剪，影响二次销售", evidence: [photo] };

  it.each([
    ["complete, with proof", taobao, complete, { ok: true }],
    ["reason needing no proof, none sent", taobao, { reasonCode: "past_period", message: "已超售后期", evidence: [] }, { ok: true }],
    ["Tmall: same, proof missing", tmall, { reasonCode: "past_period", message: "已超售后期", evidence: [] }, { ok: false, missing: [{ code: "evidence_missing", requiredBy: "platform" }] }],
    ["proof missing for the reason", taobao, { ...complete, evidence: [] }, { ok: false, missing: [{ code: "evidence_missing", requiredBy: "reason" }] }],
    ["no reason", taobao, { ...complete, reasonCode: null }, { ok: false, missing: [{ code: "reason_missing" }] }],
    ["empty reason", taobao, { ...complete, reasonCode: "" }, { ok: false, missing: [{ code: "reason_missing" }] }],
    ["reason of another platform", taobao, { ...complete, reasonCode: "fresh_no_return" }, { ok: false, missing: [{ code: "reason_unknown", reasonCode: "fresh_no_return" }] }],
    ["message of 1 char", taobao, { ...complete, message: "否" }, { ok: false, missing: [{ code: "message_too_short", minChars: 2, chars: 1 }] }],
    ["message of 2 chars", taobao, { ...complete, message: "否认" }, { ok: true }],
    ["whitespace does not count", taobao, { ...complete, message: "  否  " }, { ok: false, missing: [{ code: "message_too_short", minChars: 2, chars: 1 }] }],
    ["message of 200 chars", taobao, { ...complete, message: "售".repeat(200) }, { ok: true }],
    ["message of 201 chars", taobao, { ...complete, message: "售".repeat(201) }, { ok: false, missing: [{ code: "message_too_long", maxChars: 200, chars: 201 }] }],
    ["an emoji counts once", taobao, { ...complete, message: "售".repeat(199) + "📦" }, { ok: true }],
    ["PDF is fine", taobao, { ...complete, evidence: [{ name: "质检报告.pdf", type: "application/pdf", sizeBytes: 2 * megabyte }] }, { ok: true }],
    ["MIME case does not matter", taobao, { ...complete, evidence: [{ ...photo, type: "IMAGE/PNG" }] }, { ok: true }],
    ["exactly 5 MB", taobao, { ...complete, evidence: [{ ...photo, sizeBytes: 5 * megabyte }] }, { ok: true }],
    ["5 MB + 1 byte", taobao, { ...complete, evidence: [{ ...photo, sizeBytes: 5 * megabyte + 1 }] }, { ok: false, missing: [{ code: "evidence_too_large", fileName: photo.name, sizeBytes: 5 * megabyte + 1, maxBytesEach: 5 * megabyte }] }],
    ["empty file", taobao, { ...complete, evidence: [{ ...photo, sizeBytes: 0 }] }, { ok: false, missing: [{ code: "evidence_empty", fileName: photo.name }] }],
    ["SVG is refused", taobao, { ...complete, evidence: [{ name: "a.svg", type: "image/svg+xml", sizeBytes: 900 }] }, { ok: false, missing: [{ code: "evidence_type", fileName: "a.svg", type: "image/svg+xml" }] }],
    ["a video is refused", taobao, { ...complete, evidence: [{ name: "开箱.mp4", type: "video/mp4", sizeBytes: megabyte }] }, { ok: false, missing: [{ code: "evidence_type", fileName: "开箱.mp4", type: "video/mp4" }] }],
    ["1 file on Taobao (its refuse API takes one image)", taobao, { ...complete, evidence: [photo] }, { ok: true }],
    ["2 files on Taobao", taobao, { ...complete, evidence: [photo, photo] }, { ok: false, missing: [{ code: "evidence_too_many", maxFiles: 1, files: 2 }] }],
    ["5 files on Douyin", douyin, { ...complete, evidence: Array.from({ length: 5 }, () => photo) }, { ok: true }],
    ["6 files on Douyin", douyin, { ...complete, evidence: Array.from({ length: 6 }, () => photo) }, { ok: false, missing: [{ code: "evidence_too_many", maxFiles: 5, files: 6 }] }],
    [
      "everything wrong at once, every item reported",
      tmall,
      { reasonCode: null, message: "", evidence: [{ name: "x.exe", type: "application/x-msdownload", sizeBytes: 6 * megabyte }] },
      {
        ok: false,
        missing: [
          { code: "reason_missing" },
          { code: "message_too_short", minChars: 2, chars: 0 },
          { code: "evidence_type", fileName: "x.exe", type: "application/x-msdownload" },
          { code: "evidence_too_large", fileName: "x.exe", sizeBytes: 6 * megabyte, maxBytesEach: 5 * megabyte },
        ],
      },
    ],
  ] as const)("%s", (_label, profile, draft: RejectionDraft, expected) => {
    expect(validateRejection(profile, shipped, returnRefund, draft)).toEqual(expected);
  });

  it.each([
    ["unshipped refund-only", unshipped, { kind: "refund_only" }, "refund_only_unshipped"],
    ["7天无理由", shipped, { kind: "return_refund", isSevenDayNoReason: true }, "seven_day_no_reason"],
  ] as const)("refuses a complete rejection of a request that may not be rejected: %s", (_label, order, request: RejectionRequest, rule) => {
    expect(validateRejection(taobao, order, request, complete)).toEqual({ ok: false, missing: [{ code: "not_rejectable", rule }] });
  });
});

describe("takeWithinFileLimit: the reject dialog's upload stops at the platform's limit", () => {
  it.each([
    ["Taobao's one image, none attached, three picked", getPolicyProfile("taobao").reject.evidence.maxFiles, 0, ["a", "b", "c"], ["a"], ["b", "c"]],
    ["Tmall's one image already attached", getPolicyProfile("tmall").reject.evidence.maxFiles, 1, ["a"], [], ["a"]],
    ["Douyin's five, three attached, three picked", getPolicyProfile("douyin").reject.evidence.maxFiles, 3, ["a", "b", "c"], ["a", "b"], ["c"]],
  ] as const)("%s", (_label, maxFiles, attached, files, taken, skipped) => {
    expect(takeWithinFileLimit(files, attached, maxFiles)).toEqual({ taken, skipped });
  });
});
