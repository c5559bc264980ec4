import { describe, expect, it } from "vitest";
import { chinaTimeToIso, isoToChinaTime, parseJsonLossless, parseTopYuan, platformEventId, rfc3339ToIso, toIdString, unixSecondsToIso } from "@/lib/platforms/common";

describe("parseJsonLossless", () => {
  it("keeps 19-digit ids exact where JSON.parse rounds them", () => {
    const text = '{"oid":2918463734761365258,"n":12,"f":1.5,"s":"a\\"1234567890123456789","neg":-9007199254740993}';
    expect(String((JSON.parse(text) as { oid: number }).oid)).not.toBe("2918463734761365258");
    expect(parseJsonLossless(text)).toEqual({ oid: "2918463734761365258", n: 12, f: 1.5, s: 'a"1234567890123456789', neg: "-9007199254740993" });
  });

  it("leaves safe integers as numbers and nested arrays intact", () => {
    expect(parseJsonLossless('[{"a":[9007199254740991,9007199254740992]}]')).toEqual([{ a: [9007199254740991, "9007199254740992"] }]);
  });
});

describe("ids, money, times", () => {
  it("refuses a number that has already lost its digits", () => {
    expect(toIdString("181784773340365852", "id")).toBe("181784773340365852");
    expect(toIdString(10437917, "id")).toBe("10437917");
    expect(() => toIdString(Number("2918463734761365258"), "id")).toThrow(/not an id/);
  });

  it("converts yuan strings to fen without float error", () => {
    expect(parseTopYuan("59.90")).toBe(5990);
    expect(parseTopYuan("1.00")).toBe(100);
    expect(parseTopYuan("0.29")).toBe(29);
    expect(parseTopYuan("1.1")).toBe(110);
    expect(parseTopYuan("12")).toBe(1200);
    expect(parseTopYuan(" 7.5 ")).toBe(750);
    expect(() => parseTopYuan("1.005")).toThrow();
    expect(() => parseTopYuan("-1.00")).toThrow();
    // What a person may type on the desk is still not a TOP amount
    for (const loose of ["¥1,240", "1,240", "3.", "", "1234567890"]) expect(() => parseTopYuan(loose)).toThrow(/not a yuan amount/);
  });

  it("reads China local time, Unix seconds and RFC 3339 as the same instant", () => {
    expect(chinaTimeToIso("2026-11-20 10:02:10")).toBe("2026-11-20T02:02:10.000Z");
    expect(unixSecondsToIso(1763604130, "t")).toBe("2025-11-20T02:02:10.000Z");
    expect(rfc3339ToIso("2026-11-20T10:02:10+08:00", "t")).toBe("2026-11-20T02:02:10.000Z");
    expect(isoToChinaTime(new Date("2026-11-20T02:02:10Z"))).toBe("2026-11-20 10:02:10");
    expect(() => chinaTimeToIso("2026/11/20 10:02:10")).toThrow();
    expect(() => rfc3339ToIso("2026-11-20 10:02:10", "t")).toThrow();
  });

  it("builds event ids the contract accepts, deterministically", () => {
    expect(platformEventId("dy", "7301500100200300401", 6, 200, "1763604130")).toBe("evt_dy_7301500100200300401_6_200_1763604130");
    const long = platformEventId("tb", "x".repeat(120));
    expect(long).toMatch(/^evt_[0-9a-f]{64}$/);
    expect(platformEventId("tb", "x".repeat(120))).toBe(long);
  });
});
