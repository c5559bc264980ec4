// The client address the per-address sign-in limit keys on. scripts/serve.mjs works it out from the socket
// (and X-Forwarded-For from a TRUSTED_PROXIES proxy only) and stamps it in this header after dropping the
// client's own copy; under `next start` / `next dev` nobody does, and the header is then ignored. docs/security.md

/** Keep in step with scripts/client-address.mjs (a test checks both). */
export const clientAddressHeader = "x-desk-client-ip";

/** The limits' bucket when the address is unknown: one for everyone, so forging cannot dodge it. */
export const unknownClientKey = "unknown";

/** The stamped address, or null when the server in front did not stamp one (`isStamped` false) or left it out. */
export function readClientAddress(headers: Headers, isStamped: boolean): string | null {
  if (!isStamped) return null;
  const value = headers.get(clientAddressHeader)?.trim();
  return value ? value : null;
}

/**
 * The limits' key for an address: IPv4 as is, IPv6 by its /64 (one host's, or one customer's, allocation:
 * rotating within it must not give new tries), unknown → one shared bucket.
 */
export function limitKeyFor(address: string | null): string {
  if (address === null) return unknownClientKey;
  if (!address.includes(":")) return address;
  const prefix = ipv6Prefix64(address);
  return prefix ?? address;
}

function ipv6Prefix64(address: string): string | null {
  const halves = address.toLowerCase().split("::");
  if (halves.length > 2) return null;
  const groupsOf = (part: string | undefined) => (part ? part.split(":") : []);
  // A trailing dotted IPv4 ("64:ff9b::1.2.3.4") stands for two groups
  const countOf = (groups: string[]) => groups.reduce((sum, group) => sum + (group.includes(".") ? 2 : 1), 0);
  const left = groupsOf(halves[0]);
  const right = halves.length === 2 ? groupsOf(halves[1]) : [];
  const missing = 8 - countOf(left) - countOf(right);
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<string>(missing).fill("0"), ...right];
  const first = groups.slice(0, 4);
  if (!first.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return `${first.map((group) => group.padStart(4, "0")).join(":")}::/64`;
}
