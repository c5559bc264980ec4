/** Money is stored in integer fen and shown as ¥ with two decimals and thousands separators. */
export function formatFen(amountFen: number): string {
  const sign = amountFen < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(amountFen));
  const yuan = Math.floor(abs / 100).toLocaleString("en-US");
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, "0")}`;
}
