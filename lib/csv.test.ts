import { describe, expect, it } from "vitest";
import { csvDecimal, csvYuan, toCsv, type CsvCell } from "@/lib/csv";

const bom = "\uFEFF";

describe("toCsv", () => {
  it("starts with a UTF-8 BOM and ends records with CRLF", () => {
    expect(toCsv(["店铺", "响应率"], [["旗舰店", 0.95]])).toBe(`${bom}店铺,响应率\r\n旗舰店,0.95\r\n`);
  });

  it.each<[string, CsvCell, string]>([
    ["plain Chinese", "退货退款", "退货退款"],
    ["a comma", "张三,李四", '"张三,李四"'],
    ["a Chinese comma (not a separator)", "张三，李四", "张三，李四"],
    ["quotes", '他说"已发货"', '"他说""已发货"""'],
    ["a line break", "第一行\n第二行", '"第一行\n第二行"'],
    ["a CRLF", "a\r\nb", '"a\r\nb"'],
    ["null", null, ""],
    ["an integer", 12_345, "12345"],
    ["a negative number", -3, "-3"],
    ["an empty string", "", ""],
    ["text that Excel would run as a formula", "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""],
    ["text starting with @", "@买家", "'@买家"],
    ["text starting with a minus", "-1+1", "'-1+1"],
    ["a negative decimal number", -12.5, "-12.5"],
    ["negative money with two decimals", csvDecimal(-1250 / 100, 2), "-12.50"],
    ["money with two decimals", csvDecimal(1999 / 100, 2), "19.99"],
    ["zero money", csvDecimal(0, 2), "0.00"],
    ["a one-decimal share", csvDecimal(-0.05, 1), "-0.1"],
    ["not a number", Number.NaN, ""],
    ["an infinite decimal", csvDecimal(Number.POSITIVE_INFINITY, 2), ""],
    ["a refund delta of -¥12.50", csvYuan(-1250), "-12.50"],
    ["a refund of ¥1,234.05", csvYuan(123_405), "1234.05"],
    ["one fen less", csvYuan(-1), "-0.01"],
    ["no refund figure", csvYuan(null), ""],
  ])("writes %s", (_label, cell, written) => {
    expect(toCsv(["列"], [[cell]])).toBe(`${bom}列\r\n${written}\r\n`);
  });

  it("quotes headers too and writes only the header line for no rows", () => {
    expect(toCsv(["金额(¥)", "说明,备注"], [])).toBe(`${bom}金额(¥),"说明,备注"\r\n`);
  });

  it("rejects a row whose width differs from the headers", () => {
    expect(() => toCsv(["a", "b"], [["1"]])).toThrow(RangeError);
  });
});
