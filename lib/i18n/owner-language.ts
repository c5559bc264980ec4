// What a merchant reads on an owner page in zh-CN must be Chinese: no English words, file names, code
// symbols or settings of the server. Used by the unit check on the messages and the e2e scan of the pages.

/** Latin that stays in Chinese text: a unit and the trade's own name for a category (天猫 lists "3C数码"). */
export const allowedEverywhere = ["MB", "3C"] as const;

/**
 * Names the platforms' own consoles show in Latin letters, which the owner copies from there into the
 * settings page (淘宝/抖店/微信 show "App Key", "AppID", "EncodingAESKey" …): translated, they could not be found.
 */
export const platformConsoleTerms = ["App Key", "App Secret", "AppID", "AppSecret", "Access Token", "Refresh Token", "SessionKey", "EncodingAESKey", "Token", "TMC", "API", "URL", "ID"] as const;

const urlPattern = /\bhttps?:\/\/\S+/g;
const emailPattern = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
// Latin words (with what sticks to them in file names, identifiers and settings: RATES.md, TMC_CONSUMER=ws),
// Greek letters (λ) and combining marks (p̂)
const foreignPattern = /[A-Za-z][\w.=-]*|[\u0370-\u03ff]+|\p{M}/gu;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The foreign words in `text`, in order; URLs and e-mail addresses are data, not words, and `allowed` terms pass. */
export function findForeignWords(text: string, allowed: readonly string[] = allowedEverywhere): string[] {
  let rest = text.replace(urlPattern, " ").replace(emailPattern, " ");
  // Longest first, so "App Key" goes before "Key" could be matched on its own; whole words only
  for (const term of [...allowed].sort((left, right) => right.length - left.length)) {
    rest = rest.replace(new RegExp(`(?<![A-Za-z])${escapeRegExp(term)}(?![A-Za-z])`, "g"), " ");
  }
  return rest.match(foreignPattern) ?? [];
}

/**
 * An ICU message's text without its syntax: `{name}` placeholders, and the argument names and case labels of
 * `{n, plural, one {…} other {…}}` / `{x, select, a {…} other {…}}`, keeping every branch's words.
 */
export function getMessageText(message: string): string {
  return message
    .replace(/\{\s*[\w.]+\s*\}/g, " ")
    .replace(/\{\s*[\w.]+\s*,\s*(?:select|plural|selectordinal|number|date|time)\s*,?/g, " ")
    .replace(/(?:=\d+|[A-Za-z_]\w*)\s*\{/g, " ")
    .replace(/[{}#]/g, " ");
}
