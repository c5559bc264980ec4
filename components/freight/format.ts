/** 0.3512 → "35.1%"; null → "—". */
export function formatShare(share: number | null, digits = 1): string {
  return share === null ? "—" : `${(share * 100).toFixed(digits)}%`;
}
