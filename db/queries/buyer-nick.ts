import { sql, type SQL } from "drizzle-orm";
import { lastCharacter, likeIgnoringCase, trimCharacters } from "@/db/dialect-workflows";
import { orders } from "@/db/schema";

// What String.prototype.trim() removes, so the SQL mask below trims as lib/mask.ts does
const jsWhitespace = " \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";

/**
 * The buyer nickname as the desk shows it (maskNickname in lib/mask.ts, "小**鱼"), computed in SQL.
 * length() and substr() count characters (code points) on both engines, as Array.from does.
 */
export function maskedBuyerNickSql(): SQL<string> {
  const trimmed = trimCharacters(sql`${orders.buyerNick}`, jsWhitespace);
  return sql<string>`(case when length(${trimmed}) = 0 then '**' when length(${trimmed}) <= 2 then substr(${trimmed}, 1, 1) || '**' else substr(${trimmed}, 1, 1) || '**' || ${lastCharacter(trimmed)} end)`;
}

/**
 * A search matches the buyer by the masked nickname only, the part the desk shows: a match on the full
 * nickname would let anyone recover the hidden characters one query at a time (docs/security.md).
 * `pattern` is the caller's escaped LIKE pattern (escape '\').
 */
export function buyerNickMatches(pattern: string): SQL {
  return likeIgnoringCase(maskedBuyerNickSql(), pattern);
}
