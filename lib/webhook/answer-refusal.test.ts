import { describe, expect, it } from "vitest";
import { getRefusalText, getUndeliveredMessage, readContractAnswer } from "@/lib/webhook/answer-refusal";

describe("readContractAnswer: the merchant endpoint's answer to our decision POST", () => {
  const json = (error: unknown) => JSON.stringify({ error });
  it.each([
    [200, "", { ok: true, detail: "HTTP 200" }],
    [204, "", { ok: true, detail: "HTTP 204" }],
    [422, json({ code: "refund_closed", message: " 退款单已关闭 " }), { ok: false, refused: true, message: "退款单已关闭", code: "refund_closed" }],
    [400, json({ message: "金额不符", code: 4001 }), { ok: false, refused: true, message: "金额不符", code: "4001" }],
    [404, "<html>not found</html>", { ok: false, refused: true, message: "HTTP 404", code: "404" }],
    [409, json({ message: "" }), { ok: false, refused: true, message: "HTTP 409", code: "409" }],
    [403, JSON.stringify({ message: "top-level message is not the contract" }), { ok: false, refused: true, message: "HTTP 403", code: "403" }],
    [408, json({ message: "slow" }), { ok: false, refused: false, error: "HTTP 408" }],
    [425, "", { ok: false, refused: false, error: "HTTP 425" }],
    [429, json({ message: "too many" }), { ok: false, refused: false, error: "HTTP 429" }],
    [500, json({ message: "boom" }), { ok: false, refused: false, error: "HTTP 500" }],
    [503, "", { ok: false, refused: false, error: "HTTP 503" }],
    [302, "", { ok: false, refused: false, error: "HTTP 302" }],
  ])("HTTP %i %s", (status, body, outcome) => {
    expect(readContractAnswer(status, body)).toEqual(outcome);
  });

  it("keeps a long message bounded", () => {
    const outcome = readContractAnswer(422, json({ message: "拒".repeat(1_000) }));
    expect(outcome.ok === false && outcome.refused && outcome.message.length).toBe(300);
  });
});

describe("the card's words", () => {
  it.each([
    ["  售后单状态已变更\n请刷新  ", "售后单状态已变更 请刷新"],
    ["", "平台未说明原因"],
    [" \t ", "平台未说明原因"],
  ])("getRefusalText(%j) = %j", (message, text) => {
    expect(getRefusalText(message)).toBe(text);
  });

  it.each([
    [12, "HTTP 503", "答复尝试 12 次仍未送达平台（最后一次：HTTP 503）"],
    [3, "", "答复尝试 3 次仍未送达平台"],
  ])("getUndeliveredMessage(%i, %j)", (attempts, error, message) => {
    expect(getUndeliveredMessage(attempts, error)).toBe(message);
  });
});
