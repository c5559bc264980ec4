import { describe, expect, it } from "vitest";
import { compositeOverWhite, getContrastRatio, getReadableTextColor, type Rgb } from "@/lib/ui/readable-text";

const emerald: Rgb = [4, 120, 87];
const rose: Rgb = [190, 18, 60];
const toRgb = (hex: string): Rgb => [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16)) as unknown as Rgb;

describe("getContrastRatio (WCAG 2.2)", () => {
  it("black on white is 21:1 and a colour on itself 1:1", () => {
    expect(getContrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
    expect(getContrastRatio(emerald, emerald)).toBe(1);
  });
  it("matches a published pair: #767676 on white is 4.54:1", () => {
    expect(getContrastRatio([118, 118, 118], [255, 255, 255])).toBeCloseTo(4.54, 2);
  });
});

describe("getReadableTextColor", () => {
  it("is dark on a faint cell and white on a full one", () => {
    expect(getReadableTextColor(emerald, 0.12)).toBe("#000000");
    expect(getReadableTextColor(emerald, 1)).toBe("#ffffff");
    expect(getReadableTextColor(rose, 1)).toBe("#ffffff");
  });
  // The heatmap's cells run from 0.04 to 1 alpha: every one must read at 4.5:1 or better
  for (const [name, hue] of [["emerald", emerald], ["rose", rose]] as const) {
    it(`reaches 4.5:1 at every alpha for ${name}`, () => {
      for (let step = 0; step <= 100; step++) {
        const alpha = step / 100;
        const text = getReadableTextColor(hue, alpha);
        expect(getContrastRatio(compositeOverWhite(hue, alpha), toRgb(text)), `alpha ${alpha}`).toBeGreaterThanOrEqual(4.5);
      }
    });
  }
});
