// Text on a coloured cell (the metrics heatmaps): black or white, whichever contrasts more with the cell as drawn
// over the white page. With pure black and white one of the two always reaches WCAG's 4.5:1 for normal text
// (at worst about 4.58:1, where both are equal), which a near-black like slate-900 does not.
// Relative luminance and contrast ratio: WCAG 2.2, "relative luminance" and "contrast ratio" definitions
// (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance).

export type Rgb = readonly [number, number, number];

const white: Rgb = [255, 255, 255];
const black: Rgb = [0, 0, 0];

function toLinear(channel: number): number {
  const value = channel / 255;
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

export function getRelativeLuminance([r, g, b]: Rgb): number {
  return 0.2126 * toLinear(r) + 0.7152 * toLinear(g) + 0.0722 * toLinear(b);
}

export function getContrastRatio(a: Rgb, b: Rgb): number {
  const [light, dark] = [getRelativeLuminance(a), getRelativeLuminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** `color` at `alpha` (0–1) painted over white, as the browser composites it. */
export function compositeOverWhite(color: Rgb, alpha: number): Rgb {
  return color.map((channel, index) => Math.round(alpha * channel + (1 - alpha) * white[index])) as unknown as Rgb;
}

/** "#000000" or "#ffffff", whichever reads better on `color` at `alpha` over white. */
export function getReadableTextColor(color: Rgb, alpha: number): "#000000" | "#ffffff" {
  const background = compositeOverWhite(color, alpha);
  return getContrastRatio(background, black) >= getContrastRatio(background, white) ? "#000000" : "#ffffff";
}
