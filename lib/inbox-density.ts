// How tightly the inbox lays out its cards: the full card, or one line per card for agents who answer hundreds a
// day (docs/inbox-layout.md). The choice is the user's own, kept in a cookie named after the user so that two people on
// one browser keep theirs, and read by the server so the first paint already has it.

export const inboxDensities = ["standard", "compact"] as const;
export type InboxDensity = (typeof inboxDensities)[number];

export const defaultInboxDensity: InboxDensity = "standard";

const oneYearSeconds = 365 * 24 * 60 * 60;

/** The cookie's name for one user; anything outside a cookie name's safe characters becomes "_". */
export function getDensityCookieName(userId: string): string {
  return `inbox-density.${userId.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

/** A stored value back to a density; a missing, old or hand-edited value is the standard view. */
export function parseInboxDensity(value: string | null | undefined): InboxDensity {
  return (inboxDensities as readonly string[]).includes(value ?? "") ? (value as InboxDensity) : defaultInboxDensity;
}

/** The `document.cookie` assignment that keeps a user's choice for a year on every page of the desk. */
export function formatDensityCookie(userId: string, density: InboxDensity): string {
  return `${getDensityCookieName(userId)}=${density}; Path=/; Max-Age=${oneYearSeconds}; SameSite=Lax`;
}
