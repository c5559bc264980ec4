import { defaultOutboundDeps, type OutboundDeps } from "@/app/_server/net/guarded-fetch";
import { apiError } from "@/lib/api-error";
import { checkOutboundUrl, classifyAddress, isAddressAllowed, type OutboundRefusal, type OutboundUse } from "@/lib/net/outbound-url";

// The settings routes' check of a URL an owner saves (docs/security.md "Outbound calls"): the same rules as the
// send-time guard, so a refused kind of URL is answered 422 at once. Resolving a name here is best-effort (a name
// that does not resolve, or not in time, is accepted): the check at every call is the one that counts.

/** A URL field of a settings body: its path in the body, the value, and what it is for. */
export type OutboundField = { path: string; url: string | undefined; use: OutboundUse };

export type OutboundIssue = { path: string; reason: OutboundRefusal };

export type SaveCheckDeps = OutboundDeps & { resolveTimeoutMs: number };

export const defaultSaveCheckDeps: SaveCheckDeps = { ...defaultOutboundDeps, resolveTimeoutMs: 2_000 };

async function resolveWithin(deps: SaveCheckDeps, hostname: string) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), deps.resolveTimeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([deps.resolve(hostname).catch(() => null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why this URL would be refused when called, or null when it may be saved. */
export async function findOutboundRefusal(url: string, use: OutboundUse, deps: SaveCheckDeps = defaultSaveCheckDeps): Promise<OutboundRefusal | null> {
  const policy = deps.getPolicy();
  const checked = checkOutboundUrl(url, use, policy);
  if (!checked.ok) return checked.reason;
  if (checked.literalKind && classifyAddress(checked.hostname)) return null;
  const addresses = await resolveWithin(deps, checked.hostname);
  if (!addresses) return null;
  return addresses.every(({ address }) => isAddressAllowed(classifyAddress(address) ?? "reserved", policy)) ? null : "address";
}

/** The refused fields among `fields` (absent values are skipped), in order. */
export async function findOutboundIssues(fields: readonly OutboundField[], deps: SaveCheckDeps = defaultSaveCheckDeps): Promise<OutboundIssue[]> {
  const issues: OutboundIssue[] = [];
  for (const field of fields) {
    if (!field.url) continue;
    const reason = await findOutboundRefusal(field.url, field.use, deps);
    if (reason) issues.push({ path: field.path, reason });
  }
  return issues;
}

/** Words for a refusal in the owner's language (the outboundGuard messages). */
export type TranslateRefusal = (key: OutboundRefusal) => string;

/**
 * The 422 a settings route answers for refused URLs: invalid_body, with one typed issue per field
 * ({ path, code: "outbound_refused", reason, message }). null when every field may be saved.
 */
export function toOutboundIssuesResponse(issues: readonly OutboundIssue[], translate: TranslateRefusal): Response | null {
  if (issues.length === 0) return null;
  const typed = issues.map(({ path, reason }) => ({ path, code: "outbound_refused", reason, message: translate(reason) }));
  return apiError("invalid_body", typed[0].message, { issues: typed });
}
