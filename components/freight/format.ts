/** 0.3512 → "35.1%"; null → "—". */
export function formatShare(share: number | null, digits = 1): string {
  return share === null ? "—" : `${(share * 100).toFixed(digits)}%`;
}

/** Fen → yuan text for an input box ("3.2"), without grouping. */
export function fenToYuanText(amountFen: number): string {
  return String(Math.round(amountFen) / 100);
}

/** "3.20" / "3.2" / "¥3.2" → 320 fen; null when blank or not a non-negative amount. */
export function parseYuanToFen(text: string): number | null {
  const cleaned = text.replace(/[¥,\s]/g, "");
  if (!/^\d+(\.\d{0,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}
