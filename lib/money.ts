// Money is stored in integer fen. Every yuan ↔ fen step of the desk lives here, so the pages round alike:
// typed text is read by its digits (no float rounding), a yuan number is rounded half away from zero at the fen.

/** Shown as ¥ with two decimals and thousands separators: 123456789 → "¥1,234,567.89", -1999 → "-¥19.99". */
export function formatFen(amountFen: number): string {
  const sign = amountFen < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(amountFen));
  const yuan = Math.floor(abs / 100).toLocaleString("en-US");
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, "0")}`;
}

/**
 * Rounded to whole yuan, half away from zero, with thousands separators, for a sum where fen would be noise:
 * 124049 → "¥1,240", 124050 → "¥1,241", -580000 → "-¥5,800". Fractions of a fen are dropped first, as formatFen does.
 */
export function formatFenAsWholeYuan(amountFen: number): string {
  const abs = Math.abs(Math.trunc(amountFen));
  const yuan = Math.floor((abs + 50) / 100);
  return `${amountFen < 0 && yuan > 0 ? "-" : ""}¥${yuan.toLocaleString("en-US")}`;
}

/** Fen → yuan text for an input box, without grouping or trailing zeros: 320 → "3.2", 1 → "0.01". */
export function fenToYuanText(amountFen: number): string {
  return String(Math.round(amountFen) / 100);
}

/** Fen → yuan as a number, for a chart's axis or a number input: 320 → 3.2. */
export function fenToYuan(amountFen: number): number {
  return Math.round(amountFen) / 100;
}

// Up to 13 whole yuan digits keeps the fen a safe integer (Number.MAX_SAFE_INTEGER has 16 digits)
const yuanTextPattern = /^(\d{1,13})(?:\.(\d{0,2}))?$/;

/**
 * Typed yuan → fen by the digits: "30.5", "30.50", "¥1,240", " 3. " → 3050, 3050, 124000, 300. Null when blank, negative,
 * more than two decimals ("0.005") or not an amount: the desk never guesses a fen the owner did not type.
 */
export function parseYuanToFen(text: string): number | null {
  const match = yuanTextPattern.exec(text.replace(/[¥,\s]/g, ""));
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/**
 * A yuan number (a number input's value, a chart's tick) → whole fen, half away from zero: 0.005 → 1, 1.005 → 101,
 * -0.005 → -1. Shifting the decimal point in the number's own text avoids 1.005 * 100 = 100.49999….
 */
export function yuanToFen(yuan: number): number {
  if (!Number.isFinite(yuan)) return Number.NaN;
  const abs = Math.abs(yuan);
  const text = String(abs);
  const shifted = text.includes("e") ? abs * 100 : Number(`${text}e2`);
  const fen = Math.round(shifted);
  return yuan < 0 && fen !== 0 ? -fen : fen;
}
