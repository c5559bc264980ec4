// The client's address for per-address limits (sign-in), worked out where the socket is known. scripts/serve.mjs
// stamps it on every request in a header of its own after dropping any copy the client sent, and says so on
// globalThis; the app trusts that header only then (lib/client-address.ts). docs/security.md explains the rules.
import net from "node:net";

/** Keep in step with lib/client-address.ts (a test checks both). */
export const clientAddressHeader = "x-desk-client-ip";

const ipv4WithPort = /^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/;
const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/;
const ipv4Mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * One address as the limits key it: "::ffff:1.2.3.4" → "1.2.3.4", IPv6 lower-cased, an X-Forwarded-For
 * entry's port or brackets dropped ("1.2.3.4:5678", "[2001:db8::1]:443"); null when it is not an IP address.
 */
export function normalizeAddress(value) {
  let text = String(value ?? "").trim();
  const inBrackets = bracketed.exec(text);
  if (inBrackets) text = inBrackets[1];
  else if (ipv4WithPort.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  const family = net.isIP(text);
  if (family === 4) return text;
  if (family !== 6) return null;
  return ipv4Mapped.exec(text)?.[1] ?? text.toLowerCase();
}

/**
 * TRUSTED_PROXIES: comma-separated addresses and CIDR ranges of the proxies allowed to say who the client is
 * in X-Forwarded-For. Entries that are neither come back in `invalid` (the server refuses to start on them:
 * a typo would otherwise put every client of the proxy in one bucket).
 */
export function parseTrustedProxies(text) {
  const list = new net.BlockList();
  const invalid = [];
  let size = 0;
  for (const entry of String(text ?? "").split(",").map((part) => part.trim()).filter(Boolean)) {
    const slash = entry.indexOf("/");
    const address = normalizeAddress(slash === -1 ? entry : entry.slice(0, slash));
    if (address === null) {
      invalid.push(entry);
      continue;
    }
    const family = net.isIP(address) === 4 ? "ipv4" : "ipv6";
    if (slash === -1) {
      list.addAddress(address, family);
    } else {
      const prefix = entry.slice(slash + 1);
      if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > (family === "ipv4" ? 32 : 128)) {
        invalid.push(entry);
        continue;
      }
      list.addSubnet(address, Number(prefix), family);
    }
    size += 1;
  }
  return {
    size,
    invalid,
    /** Whether a normalized address is one of the trusted proxies. */
    isTrusted: (address) => size > 0 && list.check(address, net.isIP(address) === 4 ? "ipv4" : "ipv6"),
  };
}

/**
 * The client: the socket's peer, unless that peer is a trusted proxy; then X-Forwarded-For is read from the
 * right (each proxy appends the address it saw), skipping trusted proxies, and the first address that is
 * not one is the client. A chain of only trusted proxies gives its leftmost address; an entry that is not an
 * address stops the walk at the proxy that passed it on (no trusted proxy writes one, so the client did).
 */
export function resolveClientAddress(socketAddress, forwardedFor, trusted) {
  let client = normalizeAddress(socketAddress);
  if (client === null) return null;
  // Node joins repeated X-Forwarded-For headers with ", "
  const hops = typeof forwardedFor === "string" ? forwardedFor.split(",") : [];
  for (let index = hops.length - 1; index >= 0 && trusted.isTrusted(client); index--) {
    const hop = normalizeAddress(hops[index]);
    if (hop === null) break;
    client = hop;
  }
  return client;
}

/** Replaces whatever the client sent in our header with the address worked out above (none if unknown). */
export function stampClientAddress(request, trusted) {
  const address = resolveClientAddress(request.socket?.remoteAddress, request.headers["x-forwarded-for"], trusted);
  delete request.headers[clientAddressHeader];
  if (address !== null) request.headers[clientAddressHeader] = address;
}

/** Tells the app (same process) that every request carries our header: without this it is ignored. */
export function announceClientAddressHeader() {
  globalThis.deskClientAddressHeader = clientAddressHeader;
}
