import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PlatformMessageError } from "@/lib/platforms/common";
import { signTmcConnect } from "@/lib/platforms/taobao";
import { decodeTmcFrame, encodeTmcFrame, getTmcReconnectDelayMs, type TmcFrame } from "@/lib/platforms/tmc-frames";

describe("TMC CONNECT sign", () => {
  it("is UPPER(HEX(MD5(secret + app_key… + group_name… + timestamp… + secret)))", () => {
    const expected = createHash("md5").update("s3cretapp_key12497914group_namedefaulttimestamp1763604130000s3cret").digest("hex").toUpperCase();
    expect(signTmcConnect("12497914", "s3cret", "default", 1763604130000)).toBe(expected);
    expect(signTmcConnect("12497914", "s3cret", "other", 1763604130000)).not.toBe(expected);
  });
});

describe("TMC frame codec (JSON text frames)", () => {
  const message = {
    id: "8104001234567890123",
    topic: "taobao_refund_RefundCreated",
    content: '{"refund_id":181784773340365852,"tid":2918463734761365258}',
    time: "2026-11-20 10:02:10",
    publisher: "4272",
    userid: "2200000000001",
    nick: "demo_shop",
    dataid: "181784773340365852",
    outtime: "2026-12-20 00:00:00",
    retried: 2,
  };

  it.each<TmcFrame>([
    { type: "connect", appKey: "12497914", groupName: "default", timestamp: 1763604130000, sign: "ABC" },
    { type: "connected" },
    { type: "refused", reason: "sign 错误" },
    { type: "pull" },
    { type: "message", message },
    { type: "confirm", id: "8104001234567890123" },
    { type: "failed", id: "8104001234567890123", reason: "refund.get failed" },
  ])("$type round-trips", (frame) => {
    expect(decodeTmcFrame(encodeTmcFrame(frame))).toEqual(frame);
  });

  it("a 19-digit id sent as a JSON number stays exact", () => {
    expect(decodeTmcFrame('{"type":"confirm","id":8104001234567890123}')).toEqual({ type: "confirm", id: "8104001234567890123" });
    const decoded = decodeTmcFrame(`{"type":"message","message":{"id":8104001234567890123,"topic":"t","content":"{}"}}`);
    expect(decoded.type === "message" && decoded.message).toMatchObject({ id: "8104001234567890123", retried: 0 });
  });

  it.each(["not json", '{"type":"hello"}', '{"type":"message"}', '{"type":"confirm","id":1.5}'])("refuses %s", (text) => {
    expect(() => decodeTmcFrame(text)).toThrow(PlatformMessageError);
  });
});

describe("reconnect backoff", () => {
  it.each([
    [0, 0, 500],
    [0, 1, 1_000],
    [3, 1, 8_000],
    [10, 1, 60_000],
    [10, 0, 30_000],
  ])("attempt %i, random %f → %i ms", (attempt, random, expected) => {
    expect(getTmcReconnectDelayMs(attempt, random)).toBe(expected);
  });
});
