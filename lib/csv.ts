import { fenToYuan } from "@/lib/money";

/** A number written with a fixed count of decimals ("-12.50"): a number to the spreadsheet, never text. */
export type CsvDecimal = { readonly decimal: number; readonly digits: number };

export type CsvCell = string | number | CsvDecimal | null;

export function csvDecimal(value: number, digits: number): CsvDecimal {
  return { decimal: value, digits };
}

/** Money in fen as yuan with two decimals, a number cell (a negative delta stays a number, "-12.50"). */
export function csvYuan(fen: number | null): CsvCell {
  return fen === null ? null : csvDecimal(fenToYuan(fen), 2);
}

// Excel reads a BOM-less CSV as the local ANSI code page and garbles Chinese
const utf8Bom = "\uFEFF";
// Excel runs a cell starting with these as a formula; buyer-typed text must not (OWASP CSV injection)
const formulaStartPattern = /^[=+\-@\t\r]/;
const needsQuotesPattern = /[",\r\n]/;

function formatCell(cell: CsvCell): string {
  if (cell === null) return "";
  // Numbers (negative ones too) are written as numbers: only text can carry a formula
  if (typeof cell === "number") return Number.isFinite(cell) ? String(cell) : "";
  if (typeof cell === "object") return Number.isFinite(cell.decimal) ? cell.decimal.toFixed(cell.digits) : "";
  const text = formulaStartPattern.test(cell) ? `'${cell}` : cell;
  return needsQuotesPattern.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * RFC 4180: CRLF between records, fields with a comma, quote or line break wrapped in quotes and
 * inner quotes doubled; led by a UTF-8 BOM. Numbers are written as numbers (a minus sign included);
 * text that would start a formula gets a leading apostrophe.
 */
export function toCsv(headers: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  for (const [index, row] of rows.entries()) {
    if (row.length !== headers.length) {
      throw new RangeError(`Row ${index} has ${row.length} cells for ${headers.length} headers`);
    }
  }
  const records = [headers, ...rows].map((record) => record.map(formatCell).join(","));
  return `${utf8Bom}${records.join("\r\n")}\r\n`;
}
