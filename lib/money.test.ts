import { describe, expect, it } from "vitest";
import { formatFen } from "@/lib/money";

describe("formatFen", () => {
  it.each([
    [0, "¥0.00"],
    [5, "¥0.05"],
    [12990, "¥129.90"],
    [124000, "¥1,240.00"],
    [123456789, "¥1,234,567.89"],
    [-1999, "-¥19.99"],
  ])("%i fen → %s", (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });
});
