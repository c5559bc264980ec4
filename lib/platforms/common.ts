import { createHash } from "node:crypto";
import { parseYuanToFen } from "@/lib/money";
import { shanghaiOffsetMs } from "@/lib/time";

// Shared by every platform adapter (docs/platforms/README.md): lossless JSON, ids, money and times as the platforms send them.

/**
 * JSON.parse, except that integer literals beyond 2^53 (Taobao tid/oid/refund_id, Douyin p_id/s_id/aftersale_id,
 * docs/platforms/README.md) come back as their exact digit strings instead of rounded numbers.
 */
export function parseJsonLossless(text: string): unknown {
  let out = "";
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      // Copy the string literal verbatim, escapes included
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      out += text.slice(index, end + 1);
      index = end + 1;
      continue;
    }
    if (char === "-" || (char >= "0" && char <= "9")) {
      let end = index + 1;
      while (end < text.length && /[0-9.eE+-]/.test(text[end])) end++;
      const token = text.slice(index, end);
      out += /^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token)) ? `"${token}"` : token;
      index = end;
      continue;
    }
    out += char;
    index++;
  }
  return JSON.parse(out);
}

/** A platform id as text: digit strings pass, safe integers are spelled out, anything lossy is refused. */
export function toIdString(value: unknown, field: string): string {
  if (typeof value === "string" && /^[A-Za-z0-9_.:-]{1,64}$/.test(value)) return value;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  throw new PlatformMessageError(`${field} is not an id (got ${JSON.stringify(value)})`);
}

// A TOP amount is plain digits with at most two decimals ("59.90", "12"): no sign, symbol or grouping
const topYuanPattern = /^\d{1,9}(?:\.\d{1,2})?$/;

/**
 * A TOP yuan amount ("59.90") → 5990 fen. Stricter than what the desk accepts from a person: anything but the TOP
 * shape is a message we cannot read; the digits are then turned into fen by lib/money.ts, as every other amount is.
 */
export function parseTopYuan(yuan: string): number {
  const text = yuan.trim();
  const fen = topYuanPattern.test(text) ? parseYuanToFen(text) : null;
  if (fen === null) throw new PlatformMessageError(`"${yuan}" is not a yuan amount`);
  return fen;
}

/** Taobao's `yyyy-MM-dd HH:mm:ss`, China time (UTC+8, no DST) → UTC ISO instant. */
export function chinaTimeToIso(text: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) throw new PlatformMessageError(`"${text}" is not yyyy-MM-dd HH:mm:ss`);
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h - 8, mi, s)).toISOString();
}

/** A UTC instant → Taobao's `yyyy-MM-dd HH:mm:ss` in China time (API timestamps). */
export function isoToChinaTime(instant: Date): string {
  return new Date(instant.getTime() + shanghaiOffsetMs).toISOString().slice(0, 19).replace("T", " ");
}

export function unixSecondsToIso(seconds: unknown, field: string): string {
  const value = typeof seconds === "string" && /^\d+$/.test(seconds) ? Number(seconds) : seconds;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new PlatformMessageError(`${field} is not Unix seconds (got ${JSON.stringify(seconds)})`);
  }
  return new Date(value * 1000).toISOString();
}

/** Douyin push `update_time` ("2026-11-20T10:02:10+08:00") → UTC ISO instant. */
export function rfc3339ToIso(text: unknown, field: string): string {
  if (typeof text !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    throw new PlatformMessageError(`${field} is not RFC 3339 (got ${JSON.stringify(text)})`);
  }
  return new Date(text).toISOString();
}

/** Our event id for a platform fact: the same fact redelivered gets the same id, so ingest dedupes it. */
export function platformEventId(...parts: (string | number)[]): string {
  const id = `evt_${parts.map((part) => String(part).replace(/[^A-Za-z0-9-]/g, "-")).join("_")}`;
  // Ids are at most evt_ + 96 characters; a longer key is hashed (still deterministic)
  return id.length <= 100 ? id : `evt_${createHash("sha256").update(id).digest("hex").slice(0, 64)}`;
}

/** A message the platform sent that cannot be understood: answered as a failure so the platform redelivers it. */
export class PlatformMessageError extends Error {
  override name = "PlatformMessageError";
}

/** Constant-time comparison of two hex/base64 digests. */
export function digestsEqual(expected: string, actual: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  let difference = a.length ^ b.length;
  for (let index = 0; index < Math.max(a.length, b.length); index++) difference |= (a[index] ?? 0) ^ (b[index] ?? 0);
  return difference === 0;
}
