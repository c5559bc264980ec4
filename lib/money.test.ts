import { describe, expect, it } from "vitest";
import { fenToYuan, fenToYuanText, formatFen, formatFenAsWholeYuan, parseYuanToFen, yuanToFen } from "@/lib/money";

describe("formatFen", () => {
  it.each([
    [0, "¥0.00"],
    [5, "¥0.05"],
    [12990, "¥129.90"],
    [124000, "¥1,240.00"],
    [123456789, "¥1,234,567.89"],
    [-1999, "-¥19.99"],
    [-5, "-¥0.05"],
    [900719925474099, "¥9,007,199,254,740.99"],
  ])("%i fen → %s", (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });
});

describe("formatFenAsWholeYuan", () => {
  it.each([
    [0, "¥0"],
    [49, "¥0"],
    [50, "¥1"],
    [124049, "¥1,240"],
    [124050, "¥1,241"],
    [580000, "¥5,800"],
    [123456750, "¥1,234,568"],
    [124049.9, "¥1,240"],
    [-580000, "-¥5,800"],
    [-124050, "-¥1,241"],
    [-49, "¥0"],
    [900719925474099, "¥9,007,199,254,741"],
  ])("%d fen → %s", (fen, text) => {
    expect(formatFenAsWholeYuan(fen)).toBe(text);
  });
});

describe("fenToYuanText / fenToYuan", () => {
  it.each([
    [0, "0", 0],
    [1, "0.01", 0.01],
    [29, "0.29", 0.29],
    [320, "3.2", 3.2],
    [-1999, "-19.99", -19.99],
    [123456789012, "1234567890.12", 1234567890.12],
  ])("%i fen → %s", (fen, text, yuan) => {
    expect(fenToYuanText(fen)).toBe(text);
    expect(fenToYuan(fen)).toBe(yuan);
  });
});

describe("parseYuanToFen", () => {
  it.each([
    ["30.5", 3050],
    ["30.50", 3050],
    ["0.29", 29],
    ["1.00", 100],
    ["¥1,240", 124000],
    [" 3. ", 300],
    ["0", 0],
    ["9999999999999.99", 999999999999999],
  ])("%j → %i fen", (text, fen) => {
    expect(parseYuanToFen(text)).toBe(fen);
  });

  it.each(["", " ", "0.005", "-1", "1e3", "abc", "1.2.3", ".5", "99999999999999"])("%j → null", (text) => {
    expect(parseYuanToFen(text)).toBeNull();
  });
});

describe("yuanToFen", () => {
  it.each([
    [0, 0],
    [0.004, 0],
    [0.005, 1],
    [1.005, 101],
    [1.015, 102],
    [0.29, 29],
    [-0.005, -1],
    [-1.005, -101],
    [-0.004, 0],
    [12345678901.23, 1234567890123],
    [1e-7, 0],
  ])("%d yuan → %i fen", (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it("is NaN for what is not a number", () => {
    expect(yuanToFen(Number.NaN)).toBeNaN();
    expect(yuanToFen(Number.POSITIVE_INFINITY)).toBeNaN();
  });
});
